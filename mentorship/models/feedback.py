"""How a mentorship is going, in the words of the people in it and of its program: the mentor's rating of a
mentee's progress on each goal a session worked on, and the nudges sent to pairs that have gone quiet."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import TimeStampedModel
from config.inputs import validate_multi_line
from mentorship.models.core import Goal, Mentorship, Session


class ProgressRating(TimeStampedModel):
    """A mentor's view (in a peer pair, the partner's) of how far a mentee moved on one goal touched in a session:
    1..5 with an optional note, once per session, goal and rater. The goal's owner reads it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="progress_ratings")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress_ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress_ratings_given")
    rating = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True, max_length=2000, validators=[validate_multi_line])

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="progress_rating_1_to_5"),
            models.UniqueConstraint(fields=["session", "goal", "rater"], name="one_progress_rating_per_goal"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 progress on {self.goal_id} in {self.session}"


class Nudge(TimeStampedModel):
    """A nudge sent to everyone in a mentorship: by a program admin (`sent_by`), or by the platform when the
    mentorship has gone quiet (`sent_by` empty, `spell` names the quiet spell so that it is nudged once)."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="nudges")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    spell = models.CharField(max_length=80, blank=True, help_text="An automatic nudge's quiet spell.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["spell"], condition=~Q(spell=""), name="one_nudge_per_quiet_spell"),
        ]
        indexes = [models.Index(fields=["mentorship", "-created_at"], name="nudges_by_mentorship")]

    def __str__(self) -> str:
        return f"Nudge of mentorship {self.mentorship_id} at {self.created_at:%Y-%m-%d}"
