from rest_framework.routers import SimpleRouter

from mentorship.api import views

router = SimpleRouter()
router.register("mentors", views.MentorViewSet, basename="mentor")
router.register("requests", views.RequestViewSet, basename="request")
router.register("mentorships", views.MentorshipViewSet, basename="mentorship")
router.register(r"mentorships/(?P<mentorship_pk>\d+)/sessions", views.SessionViewSet, basename="session")
router.register("goals", views.GoalViewSet, basename="goal")
router.register(r"goals/(?P<goal_pk>\d+)/milestones", views.MilestoneViewSet, basename="milestone")

urlpatterns = router.urls
