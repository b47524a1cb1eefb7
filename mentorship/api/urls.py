from django.urls import path

from config.api import Router
from mentorship.api import at_risk, views

router = Router()
router.register("mentors", views.MentorViewSet, basename="mentor")
router.register("requests", views.RequestViewSet, basename="request")
router.register("mentorships", views.MentorshipViewSet, basename="mentorship")
router.register("mentorships/<id:mentorship_pk>/sessions", views.SessionViewSet, basename="session")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("goals/<id:goal_pk>/milestones", views.MilestoneViewSet, basename="milestone")

# The same directory in any program the caller may see (the flat `mentors/` is the default program's).
in_program = Router()
in_program.register("programs/<slug:program>/mentors", views.MentorViewSet, basename="program-mentor")
# A peer program's peers: nested only (the default program `main` pairs mentees with mentors).
in_program.register("programs/<slug:program>/peers", views.PeerViewSet, basename="program-peer")

urlpatterns = [
    *router.urls,
    *in_program.urls,
    path("programs/<slug:program>/at-risk/", at_risk.PairsAtRiskView.as_view(), name="program-at-risk"),
    path(
        "programs/<slug:program>/at-risk/<id:mentorship_id>/nudge/",
        at_risk.NudgeView.as_view(),
        name="program-at-risk-nudge",
    ),
]
