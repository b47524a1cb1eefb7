"""Input and output shapes of the mentorship API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import (
    MAX_SKILLS_PER_PROFILE,
    SKILLS_HELP,
    StrictInputSerializer,
    TaxonomyRefField,
    suggested_skill_names,
    suggested_skills_field,
)
from config.api import IdField, MultiLineField, SingleLineField
from mentorship import relationships
from mentorship.models import MAX_SESSION_MINUTES, Goal, Mentorship, MentorshipMember, MentorshipRequest

MAX_GOALS_PER_ITEM = 20


class PersonOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()


class GoalRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


def _goal_ids_field(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=IdField(), max_length=MAX_GOALS_PER_ITEM, required=False, **kwargs)


# --- Mentors ----------------------------------------------------------------------------------------------


class MentorOutput(serializers.Serializer):
    """A mentor of the program: their person profile and their membership's capacity and availability there."""

    id = serializers.IntegerField(source="user_id", help_text="The mentor's user id; use it in requests.")
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.full_name")
    headline = serializers.CharField(source="user.profile.headline")
    bio = serializers.CharField(source="user.profile.bio")
    industry = serializers.StringRelatedField(source="user.profile.industry", allow_null=True)
    skills = serializers.StringRelatedField(source="user.profile.skills", many=True)
    years_experience = serializers.IntegerField(source="user.profile.years_experience")
    capacity = serializers.IntegerField(help_text="How many mentees the mentor takes at once in this program.")
    open_slots = serializers.IntegerField(
        help_text="Capacity less active mentorships and pending match-round offers in this program; never below 0."
    )
    accepting_requests = serializers.BooleanField()
    timezone = serializers.CharField(source="user.profile.timezone")


class PeerOutput(serializers.Serializer):
    """A peer of the program: their person profile, and their partners there under the program's limit."""

    id = serializers.IntegerField(source="user_id", help_text="The peer's user id; ask them with `peer` in a request.")
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.full_name")
    headline = serializers.CharField(source="user.profile.headline")
    bio = serializers.CharField(source="user.profile.bio")
    industry = serializers.StringRelatedField(source="user.profile.industry", allow_null=True)
    skills = serializers.StringRelatedField(source="user.profile.skills", many=True, help_text="Can teach.")
    wanted_skills = serializers.StringRelatedField(
        source="user.profile.wanted_skills", many=True, help_text="Wants to grow."
    )
    languages = serializers.ListField(source="user.profile.languages", child=serializers.CharField())
    timezone = serializers.CharField(source="user.profile.timezone")
    partners = serializers.IntegerField(help_text="Their peer partners in this program now.")
    open_slots = serializers.IntegerField(
        help_text="How many more partners the program's `mentee_limit` allows them now; never below 0."
    )
    paired_with_me = serializers.BooleanField(source="paired_with_viewer", help_text="They are your partner now.")
    request_pending = serializers.BooleanField(
        source="pending_with_viewer", help_text="A request between you and them waits for an answer, either way."
    )


# --- Requests ---------------------------------------------------------------------------------------------


class RequestCreateInput(StrictInputSerializer):
    mentor = IdField(required=False, help_text="The mentor's id (one-on-one and group programs).")
    peer = IdField(required=False, help_text="The peer's id (peer programs), instead of `mentor`.")
    program = serializers.SlugField(
        max_length=50, required=False, help_text="The program's slug (the default program when omitted)."
    )
    message = MultiLineField(max_length=2000, allow_blank=True, required=False, default="")
    goals = _goal_ids_field(help_text="Ids of your goals to work on together.", default=list)

    def validate(self, attrs):
        if (attrs.get("mentor") is None) == (attrs.get("peer") is None):
            raise serializers.ValidationError(
                {"mentor": ["Name the mentor (`mentor`) or, in a peer program, the peer (`peer`)."]}
            )
        return attrs


class RequestDeclineInput(StrictInputSerializer):
    reason = serializers.ChoiceField(
        choices=MentorshipRequest.DeclineReason.choices, required=False, allow_blank=True, default=""
    )
    note = MultiLineField(max_length=1000, required=False, allow_blank=True, default="")


class RequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    program = serializers.CharField(source="program.slug", help_text="The program's slug.")
    mentee = PersonOutput()
    mentor = PersonOutput()
    message = serializers.CharField()
    goals = GoalRefOutput(many=True)
    origin = serializers.ChoiceField(choices=MentorshipRequest.Origin.choices)
    status = serializers.ChoiceField(choices=MentorshipRequest.Status.choices)
    decline_reason = serializers.CharField(help_text="One of the fixed reasons, or empty.")
    decline_note = serializers.CharField()
    close_reason = serializers.CharField(help_text='"mentee_matched" when closed because the mentee found a mentor.')
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)
    sender_accepted_at = serializers.DateTimeField(
        allow_null=True, help_text="A round's peer proposal: when the first peer (`mentee`) said yes."
    )
    recipient_accepted_at = serializers.DateTimeField(
        allow_null=True, help_text="A round's peer proposal: when the second peer (`mentor`) said yes."
    )
    mentorship = serializers.SerializerMethodField(
        help_text="The mentorship it started or joined (a mentor's circle), once accepted."
    )

    def get_mentorship(self, request: MentorshipRequest) -> int | None:
        members = list(request.members.all())
        return members[0].mentorship_id if members else None


# --- Mentorships, sessions, feedback ----------------------------------------------------------------------


class MentorshipMemberOutput(serializers.Serializer):
    id = serializers.IntegerField(source="user.id")
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.full_name")
    headline = serializers.CharField(source="user.profile.headline")
    role = serializers.ChoiceField(choices=MentorshipMember.Role.choices)
    status = serializers.ChoiceField(choices=MentorshipMember.Status.choices)
    joined_at = serializers.DateTimeField()
    left_at = serializers.DateTimeField(allow_null=True)


class PersonWithHeadlineOutput(PersonOutput):
    headline = serializers.CharField(source="profile.headline")


class MentorshipOutput(serializers.Serializer):
    id = serializers.IntegerField()
    program = serializers.CharField(source="program.slug", help_text="The program's slug.")
    format = serializers.ChoiceField(choices=Mentorship.Format.choices)
    mentee = PersonOutput(allow_null=True, help_text="The mentee of a one-on-one; null for a circle or peer pair.")
    mentor = PersonWithHeadlineOutput(allow_null=True, help_text="Null for a peer pair.")
    mentees = serializers.SerializerMethodField(help_text="One-on-one and group: the mentees in it now.")
    people = serializers.SerializerMethodField(help_text="Peer pairs: the two peers.")
    members = MentorshipMemberOutput(
        many=True, help_text="Everyone besides the mentor, with when they joined and left."
    )
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    request = serializers.IntegerField(source="request_id", allow_null=True)
    session_count = serializers.IntegerField()

    @extend_schema_field(PersonOutput(many=True))
    def get_mentees(self, mentorship: Mentorship) -> list[dict]:
        if mentorship.is_peer:
            return []
        return PersonOutput([m.user for m in mentorship.current_members()], many=True).data

    @extend_schema_field(PersonOutput(many=True))
    def get_people(self, mentorship: Mentorship) -> list[dict]:
        if not mentorship.is_peer:
            return []
        return PersonOutput([m.user for m in mentorship.members.all()], many=True).data


class SessionInput(StrictInputSerializer):
    date = serializers.DateField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=MAX_SESSION_MINUTES)
    notes = MultiLineField(max_length=10000, allow_blank=True, required=False, default="")
    topics = serializers.ListField(child=SingleLineField(max_length=80), max_length=20, required=False, default=list)
    goals = _goal_ids_field(help_text="Ids of attending members' goals this session worked on.", default=list)
    attendees = serializers.ListField(
        child=IdField(),
        max_length=200,
        required=False,
        help_text="User ids of the people who came (everyone in the mentorship when omitted).",
    )


class FeedbackInput(StrictInputSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = MultiLineField(max_length=2000, allow_blank=True, required=False, default="")
    shared = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Show the comment to the others in the mentorship; otherwise only you and the program's admins "
        "read it.",
    )


def _viewer_reads(serializer: serializers.Serializer) -> tuple[object, bool]:
    """The viewer of the answer and whether they read confidential comments (the program's admins), from the
    context the view gives: nobody at all when it gives none."""
    context = serializer.context
    return context.get("viewer"), bool(context.get("confidential"))


class FeedbackOutput(serializers.Serializer):
    author = serializers.IntegerField(source="author_id")
    rating = serializers.IntegerField()
    comment = serializers.SerializerMethodField(
        help_text="Empty to the others in the mentorship until its author shares it; its author and the program's "
        "admins always read it."
    )
    shared = serializers.BooleanField()
    created_at = serializers.DateTimeField()

    def get_comment(self, feedback) -> str:
        viewer, confidential = _viewer_reads(self)
        if viewer is not None and relationships.comment_visible(feedback, viewer, confidential=confidential):
            return feedback.comment
        return ""


class ProgressItemInput(StrictInputSerializer):
    goal = IdField(help_text="A goal worked on in the session (in a peer pair, your partner's).")
    rating = serializers.IntegerField(min_value=1, max_value=5)
    note = MultiLineField(max_length=2000, allow_blank=True, required=False, default="")


class ProgressInput(StrictInputSerializer):
    ratings = serializers.ListField(child=ProgressItemInput(), min_length=1, max_length=MAX_GOALS_PER_ITEM)


class ProgressOutput(serializers.Serializer):
    goal = GoalRefOutput()
    rater = serializers.IntegerField(source="rater_id")
    rating = serializers.IntegerField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class SessionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    mentorship = serializers.IntegerField(source="mentorship_id")
    date = serializers.DateField()
    duration_minutes = serializers.IntegerField()
    notes = serializers.CharField()
    topics = serializers.ListField(child=serializers.CharField())
    goals = GoalRefOutput(many=True)
    attendees = PersonOutput(many=True)
    feedback = serializers.SerializerMethodField(
        help_text="The first rating a member gave: in a one-on-one, the mentee's. `ratings` has everyone's."
    )
    ratings = serializers.SerializerMethodField(help_text="Everyone's ratings, the mentor's too.")
    progress = serializers.SerializerMethodField(
        help_text="Progress ratings on the goals worked on: the goal's owner, their rater and the program's admins "
        "read them."
    )
    created_at = serializers.DateTimeField()

    @extend_schema_field(FeedbackOutput(allow_null=True))
    def get_feedback(self, session) -> dict | None:
        by_members = [f for f in session.feedback.all() if f.author_id != session.mentorship.mentor_id]
        return FeedbackOutput(by_members[0], context=self.context).data if by_members else None

    @extend_schema_field(FeedbackOutput(many=True))
    def get_ratings(self, session) -> list[dict]:
        return FeedbackOutput(session.feedback.all(), many=True, context=self.context).data

    @extend_schema_field(ProgressOutput(many=True))
    def get_progress(self, session) -> list[dict]:
        viewer, confidential = _viewer_reads(self)
        if viewer is None:
            return []
        shown = [
            rating
            for rating in session.progress_ratings.all()
            if relationships.progress_visible(rating, viewer, confidential=confidential)
        ]
        return ProgressOutput(shown, many=True).data


# --- Goals and milestones ---------------------------------------------------------------------------------


class MilestoneInput(StrictInputSerializer):
    title = SingleLineField(max_length=200)
    due_date = serializers.DateField(allow_null=True, required=False)
    done = serializers.BooleanField(required=False)
    position = serializers.IntegerField(
        min_value=0,
        max_value=10_000,
        required=False,
        help_text="Move it to this place in the goal's list (0 is first; beyond the end is last).",
    )


class MilestoneOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    done = serializers.BooleanField()
    done_at = serializers.DateTimeField(allow_null=True)
    position = serializers.IntegerField(help_text="Its place in the goal's list, 0 first.")


class GoalInput(StrictInputSerializer):
    title = SingleLineField(max_length=200)
    description = MultiLineField(max_length=4000, allow_blank=True, required=False)
    skills = serializers.ListField(
        child=TaxonomyRefField(), max_length=MAX_SKILLS_PER_PROFILE, required=False, help_text=SKILLS_HELP
    )
    target_date = serializers.DateField(allow_null=True, required=False)
    status = serializers.ChoiceField(choices=Goal.Status.choices, required=False)
    shared = serializers.BooleanField(
        required=False, help_text="Show it to your circle or peer partner too (your mentors always see it)."
    )


class GoalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    mentee = PersonOutput()
    title = serializers.CharField()
    description = serializers.CharField()
    skills = serializers.StringRelatedField(
        many=True, help_text="Approved skills; the mentee who set the goal sees their suggestions too."
    )
    suggested_skills = suggested_skills_field()
    target_date = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    progress = serializers.FloatField(help_text="Share of milestones done, 0..1.")
    shared = serializers.BooleanField(help_text="Shown to the owner's circle or peer partner too.")
    milestones = MilestoneOutput(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_suggested_skills(self, goal) -> list[str]:
        return suggested_skill_names(goal.skills.all())
