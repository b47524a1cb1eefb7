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

__all__ = [
    "MAX_SESSION_MINUTES",
    "Feedback",
    "Goal",
    "Mentorship",
    "MentorshipMember",
    "MentorshipRequest",
    "Milestone",
    "Nudge",
    "ProgressRating",
    "Session",
]
