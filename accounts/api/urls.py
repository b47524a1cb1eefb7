from django.urls import path

from accounts.api import views
from config.api import Router

router = Router()
router.register("skills/suggestions", views.SkillSuggestionViewSet, basename="skill-suggestion")

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="api-register"),
    path("auth/register/confirm/", views.RegisterConfirmView.as_view(), name="api-register-confirm"),
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/logout/", views.LogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", views.LogoutAllView.as_view(), name="api-logout-all"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("me/calendar/reset/", views.CalendarResetView.as_view(), name="api-calendar-reset"),
    path("me/email/confirm/", views.EmailChangeConfirmView.as_view(), name="api-email-change-confirm"),
    path("me/email/revert/", views.EmailRevertView.as_view(), name="api-email-revert"),
    path("skills/", views.SkillListView.as_view(), name="api-skills"),
    path("industries/", views.IndustryListView.as_view(), name="api-industries"),
    *router.urls,
]
