from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup-sent"),
    path("signup/confirm/", views.signup_confirm_page, name="signup-confirm-page"),
    path("signup/confirm/<str:token>/", views.signup_confirm, name="signup-confirm"),
    path("account/email/confirm/", views.email_change_confirm_page, name="email-change-confirm-page"),
    path("account/email/confirm/<str:token>/", views.email_change_confirm, name="email-change-confirm"),
    path("account/email/revert/", views.email_revert_page, name="email-revert-page"),
    path("account/email/revert/<str:token>/", views.email_revert, name="email-revert"),
    path("profile/", views.profile, name="profile-page"),
    path("taxonomy/", views.taxonomy_review, name="taxonomy-page"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
