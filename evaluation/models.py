"""Does mentoring work: what participants say in surveys, and the skills they gained.

Survey answers are anonymous by construction: a `SurveyResponse` records the respondent's side (mentor, mentee,
peer) and the day, never who. Who was asked and whether they answered is a `SurveyInvitation`, so a person answers
once, and no join leads from an answer back to a person."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import Skill, TimeStampedModel
from config.inputs import validate_multi_line, validate_single_line
from mentorship.models import Mentorship
from programs.models import Program

LIKERT_LOW, LIKERT_HIGH = 1, 5
LEVEL_LOW, LEVEL_HIGH = 1, 5
DEFAULT_MIN_RESPONSES = 5


class Survey(TimeStampedModel):
    class Audience(models.TextChoices):
        MENTEES = "mentees", "Mentees"
        MENTORS = "mentors", "Mentors"
        PEERS = "peers", "Peers"
        ALL = "all", "Everyone in a mentorship"

    class Trigger(models.TextChoices):
        ON_DATE = "on_date", "On a date"
        DAYS_AFTER_START = "days_after_start", "Some days after a mentorship starts"
        ON_COMPLETION = "on_completion", "When a mentorship completes"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200, validators=[validate_single_line])
    audience = models.CharField(max_length=8, choices=Audience.choices)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    trigger_date = models.DateField(null=True, blank=True)
    trigger_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    min_responses = models.PositiveSmallIntegerField(
        default=DEFAULT_MIN_RESPONSES,
        validators=[MinValueValidator(2), MaxValueValidator(1000)],
        help_text="No result is shown for a group of fewer respondents than this.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True, help_text="No more answers after this.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(trigger="on_date", trigger_date__isnull=False) | ~Q(trigger="on_date"),
                name="survey_on_date_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(trigger="days_after_start", trigger_days__isnull=False) | ~Q(trigger="days_after_start"),
                name="survey_days_after_start_has_days",
            ),
            models.CheckConstraint(condition=Q(min_responses__gte=2), name="survey_min_responses_at_least_2"),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(TimeStampedModel):
    class Kind(models.TextChoices):
        LIKERT = "likert", "Agree or disagree, 1 to 5"
        CHOICE = "choice", "One of some choices"
        TEXT = "text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.CharField(max_length=300, validators=[validate_single_line])
    choices = models.JSONField(default=list, blank=True, help_text="A choice question's choices, in order.")
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["survey", "position", "id"]

    def __str__(self) -> str:
        return self.text


class SurveyInvitation(TimeStampedModel):
    """A person asked to answer a survey (once), and when they did. The mentorship is the one that triggered it
    (none for a survey on a date)."""

    class Side(models.TextChoices):
        MENTOR = "mentor", "Mentor"
        MENTEE = "mentee", "Mentee"
        PEER = "peer", "Peer"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations")
    side = models.CharField(max_length=8, choices=Side.choices)
    mentorship = models.ForeignKey(Mentorship, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="one_invitation_per_survey_and_person")]

    def __str__(self) -> str:
        return f"{self.user} asked to answer {self.survey}"


class SurveyResponse(models.Model):
    """One person's answers, without the person: their side and the day only."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    side = models.CharField(max_length=8, choices=SurveyInvitation.Side.choices)
    submitted_on = models.DateField(db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"A {self.side}'s answers to {self.survey_id} on {self.submitted_on}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    number = models.PositiveSmallIntegerField(null=True, blank=True, help_text="A Likert answer, 1 to 5.")
    text = models.TextField(
        blank=True, max_length=4000, validators=[validate_multi_line], help_text="A choice, or a free-text answer."
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question_per_response"),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=LIKERT_LOW, number__lte=LIKERT_HIGH),
                name="survey_answer_number_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"


class SkillRating(TimeStampedModel):
    """Someone's level (1–5) in one skill of their shared goals, at a mentorship's start or completion, as they see
    it (rater = subject) or as their mentor sees it."""

    class Stage(models.TextChoices):
        START = "start", "At the start"
        COMPLETION = "completion", "At completion"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="skill_ratings")
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_ratings_given")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    level = models.PositiveSmallIntegerField(validators=[MinValueValidator(LEVEL_LOW), MaxValueValidator(LEVEL_HIGH)])

    class Meta:
        ordering = ["mentorship", "subject", "skill", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "subject", "rater", "skill", "stage"], name="one_skill_rating_per_stage"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=LEVEL_LOW, level__lte=LEVEL_HIGH), name="skill_rating_level_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.skill} {self.level}/5 ({self.stage})"

    @property
    def is_self_rating(self) -> bool:
        return self.subject_id == self.rater_id
