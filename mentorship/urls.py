from django.urls import path

from mentorship import views

urlpatterns = [
    path("mentors/", views.mentor_directory, name="mentor-directory"),
    path("mentors/<id:mentor_id>/", views.mentor_detail, name="mentor-page"),
    path("programs/<slug:program>/mentors/", views.mentor_directory, name="program-mentor-directory"),
    path("programs/<slug:program>/mentors/<id:mentor_id>/", views.mentor_detail, name="program-mentor-page"),
    path("programs/<slug:program>/peers/", views.peer_directory, name="peer-directory"),
    path("requests/", views.request_list, name="request-list-page"),
    path("mentorships/", views.mentorship_list, name="mentorship-list-page"),
    path("goals/", views.goal_list, name="goal-list-page"),
    path("mentorships/<id:mentorship_id>/", views.mentorship_detail, name="mentorship-page"),
]
