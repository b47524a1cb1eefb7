"""The mentorship app's models, by what they are about: core (goals, requests, mentorships and their members,
sessions, feedback); feedback (progress ratings, nudges); meetings (planned check-ins); together (agreements,
action items, messages)."""

from mentorship.models.core import (
    MAX_SESSION_MINUTES,
    Feedback,
    Goal,
    Mentorship,
    MentorshipMember,
    MentorshipRequest,
    Milestone,
    Session,
)
from mentorship.models.feedback import Nudge, ProgressRating
from mentorship.models.meetings import MAX_MEETING_MINUTES, Meeting
from mentorship.models.together import (
    ActionItem,
    Agreement,
    AgreementConfirmation,
    ConversationRead,
    Message,
)

__all__ = [
    "MAX_MEETING_MINUTES",
    "MAX_SESSION_MINUTES",
    "ActionItem",
    "Agreement",
    "AgreementConfirmation",
    "ConversationRead",
    "Feedback",
    "Goal",
    "Meeting",
    "Mentorship",
    "MentorshipMember",
    "MentorshipRequest",
    "Message",
    "Milestone",
    "Nudge",
    "ProgressRating",
    "Session",
]
