from django.urls import path

from notifications import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification-list-page"),
    path("notifications/settings/", views.notification_settings, name="notification-settings-page"),
]
