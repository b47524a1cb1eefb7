from django.urls import path

from notifications.api import views

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path("notifications/read/", views.NotificationReadView.as_view(), name="notification-read"),
    path("me/notification-settings/", views.NotificationSettingsView.as_view(), name="notification-settings"),
]
