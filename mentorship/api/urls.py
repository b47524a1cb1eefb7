from django.urls import path

from config.api import Router
from mentorship.api import at_risk, meetings, together, views

router = Router()
router.register("mentors", views.MentorViewSet, basename="mentor")
router.register("requests", views.RequestViewSet, basename="request")
router.register("mentorships", views.MentorshipViewSet, basename="mentorship")
router.register("mentorships/<id:mentorship_pk>/sessions", views.SessionViewSet, basename="session")
router.register("mentorships/<id:mentorship_pk>/meetings", meetings.MeetingViewSet, basename="meeting")
router.register("mentorships/<id:mentorship_pk>/action-items", together.ActionItemViewSet, basename="action-item")
router.register("mentorships/<id:mentorship_pk>/messages", together.MessageViewSet, basename="message")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("goals/<id:goal_pk>/milestones", views.MilestoneViewSet, basename="milestone")

# The same directory in any program the caller may see (the flat `mentors/` is the default program's).
in_program = Router()
in_program.register("programs/<slug:program>/mentors", views.MentorViewSet, basename="program-mentor")
# A peer program's peers: nested only (the default program `main` pairs mentees with mentors).
in_program.register("programs/<slug:program>/peers", views.PeerViewSet, basename="program-peer")

# A mentorship has one agreement: a resource of its own, not a collection.
agreement = [
    path("mentorships/<id:mentorship_pk>/agreement/", together.AgreementView.as_view(), name="agreement"),
    path(
        "mentorships/<id:mentorship_pk>/agreement/confirm/",
        together.AgreementConfirmView.as_view(),
        name="agreement-confirm",
    ),
]

urlpatterns = [
    *router.urls,
    *in_program.urls,
    *agreement,
    path("calendar/<str:secret>.ics", meetings.CalendarFeedView.as_view(), name="calendar-feed"),
    path("programs/<slug:program>/at-risk/", at_risk.PairsAtRiskView.as_view(), name="program-at-risk"),
    path(
        "programs/<slug:program>/at-risk/<id:mentorship_id>/nudge/",
        at_risk.NudgeView.as_view(),
        name="program-at-risk-nudge",
    ),
]
