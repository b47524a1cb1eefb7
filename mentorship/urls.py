from django.urls import path

from mentorship import at_risk_views, relationship_views, views

urlpatterns = [
    path("mentors/", views.mentor_directory, name="mentor-directory"),
    path("mentors/<id:mentor_id>/", views.mentor_detail, name="mentor-page"),
    path("programs/<slug:program>/mentors/", views.mentor_directory, name="program-mentor-directory"),
    path("programs/<slug:program>/mentors/<id:mentor_id>/", views.mentor_detail, name="program-mentor-page"),
    path("programs/<slug:program>/peers/", views.peer_directory, name="peer-directory"),
    path("requests/", relationship_views.request_list, name="request-list-page"),
    path("mentorships/", relationship_views.mentorship_list, name="mentorship-list-page"),
    path("goals/", relationship_views.goal_list, name="goal-list-page"),
    path("mentorships/<id:mentorship_id>/", relationship_views.mentorship_detail, name="mentorship-page"),
    path("programs/<slug:slug>/at-risk/", at_risk_views.pairs_at_risk_page, name="program-at-risk-page"),
]
