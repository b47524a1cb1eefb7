from django.urls import path

from programs import views

urlpatterns = [
    path("programs/", views.program_list, name="program-list-page"),
    path("programs/switch/", views.program_switch, name="program-switch"),
    path("programs/<slug:slug>/", views.program_page, name="program-page"),
    path("programs/<slug:slug>/participants/", views.participants, name="program-participants-page"),
    path("programs/<slug:slug>/settings/", views.program_settings, name="program-settings-page"),
    # Before the link's pattern: "accept" is no token of ours.
    path("invitations/accept/", views.invitation_page, name="invitation-page"),
    path("invitations/<str:token>/", views.invitation_link, name="invitation-link"),
]
