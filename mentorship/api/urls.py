from config.api import Router
from mentorship.api import views

router = Router()
router.register("mentors", views.MentorViewSet, basename="mentor")
router.register("requests", views.RequestViewSet, basename="request")
router.register("mentorships", views.MentorshipViewSet, basename="mentorship")
router.register("mentorships/<id:mentorship_pk>/sessions", views.SessionViewSet, basename="session")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("goals/<id:goal_pk>/milestones", views.MilestoneViewSet, basename="milestone")

urlpatterns = router.urls
