"""The migrations that brought programs (accounts 0010/0011, programs 0001/0002, mentorship 0004, matching 0004),
run on a database made by the code before them with data of every kind: everyone lands in the default program
`main` in their role, with a mentor's capacity and accepting flag; the two old profiles become one (a mentor's skills
what they teach, a mentee's what they want to grow); every request, mentorship and round joins `main`; the admins'
record moves with its dates; and no row of any other table is lost."""

import datetime as dt
import time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.migration_state import applied_apps

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("accounts", "0009_curated_skill_taxonomy"),
    ("mentorship", "0003_text_fields_refuse_control_characters"),
    ("matching", "0003_round_name_on_one_line"),
    ("programs", None),  # before programs existed
]
PAST = dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC)


def _at(days: int) -> dt.datetime:
    return PAST + dt.timedelta(days=days)


def _migrate_back():
    """Migrate our apps to just before programs (the others stay at their latest) and answer the models as they
    were then."""
    MigrationExecutor(connection).migrate(BEFORE)
    return applied_apps()


def _migrate_forward() -> float:
    """Migrate everything to the latest; answer how long it took (seconds)."""
    executor = MigrationExecutor(connection)
    started = time.perf_counter()
    executor.migrate(executor.loader.graph.leaf_nodes())
    return time.perf_counter() - started


@pytest.fixture
def before_programs(postgres, settings):
    # What the deployment had configured: the default program takes it over.
    settings.MAX_ACTIVE_MENTORSHIPS_PER_MENTEE = 2
    settings.REQUEST_EXPIRY_DAYS = 21
    apps = _migrate_back()
    yield apps
    _migrate_forward()  # the schema the other tests expect (a no-op when the test migrated)


def _counts(apps) -> dict[str, int]:
    names = {
        "accounts": ["User", "Skill", "Industry", "SignUp", "EmailChange", "EmailRevert"],
        "mentorship": ["Goal", "Milestone", "MentorshipRequest", "Mentorship", "Session", "Feedback"],
        "matching": ["MatchRound", "MatchProposal"],
    }
    counts = {name: apps.get_model(app, name).objects.count() for app, models in names.items() for name in models}
    Goal = apps.get_model("mentorship", "Goal")
    counts["goal skills"] = Goal.skills.through.objects.count()
    counts["request goals"] = apps.get_model("mentorship", "MentorshipRequest").goals.through.objects.count()
    counts["session goals"] = apps.get_model("mentorship", "Session").goals.through.objects.count()
    return counts


def _dated(model, pk, **fields) -> None:
    """Give a row the past dates it had (auto_now_add stamped it now)."""
    model.objects.filter(pk=pk).update(**fields)


class OldWorld:
    """Everything the platform held before programs, made through the models of that time."""

    def __init__(self, apps):
        self.apps = apps
        User = apps.get_model("accounts", "User")
        Skill = apps.get_model("accounts", "Skill")
        Industry = apps.get_model("accounts", "Industry")
        MentorProfile = apps.get_model("accounts", "MentorProfile")
        MenteeProfile = apps.get_model("accounts", "MenteeProfile")

        self.skills = {name: Skill.objects.create(name=name) for name in ("Python", "Leadership", "Excel", "SQL")}
        software = Industry.objects.create(name="Software")
        finance = Industry.objects.create(name="Finance")

        def user(username, role="", days=0, **fields):
            return User.objects.create(
                username=username,
                email=f"{username}@example.org",
                full_name=username.title(),
                role=role,
                date_joined=_at(days),
                **fields,
            )

        self.otto = user("otto", "mentor", 1)
        self.rita = user("rita", "mentor", 2)
        self.sam = user("sam", "mentor", 3, is_staff=True)  # staff who also mentored
        self.maya = user("maya", "mentee", 4)
        self.ben = user("ben", "mentee", 5)
        self.cleo = user("cleo", "mentee", 6)
        self.dan = user("dan", "mentee", 7)
        self.eve = user("eve", "mentee", 8, is_active=False)  # a deactivated account stays a mentee
        self.alex = user("alex", "", 9, is_staff=True, is_superuser=True)
        self.nora = user("nora", "", 10)  # an account with no role (made in the Django admin)
        self.gus = user("gus", "mentor", 11)  # a mentor who never filled in a profile

        suggested = Skill.objects.create(
            name="Platform engineering", status="suggested", suggested_by=self.otto, suggested_at=_at(20)
        )
        otto = MentorProfile.objects.create(
            user=self.otto,
            headline="Staff engineer",
            bio="Twelve years of backend work.",
            industry=software,
            timezone="Europe/Berlin",
            years_experience=12,
            capacity=3,
            accepting_requests=True,
        )
        otto.skills.set([self.skills["Python"], self.skills["Leadership"], suggested])
        rita = MentorProfile.objects.create(
            user=self.rita,
            headline="CFO",
            bio="Numbers people.",
            industry=finance,
            timezone="America/New_York",
            years_experience=25,
            capacity=1,
            accepting_requests=False,
        )
        rita.skills.set([self.skills["Excel"]])
        sam = MentorProfile.objects.create(user=self.sam, headline="Head of data", capacity=0)
        sam.skills.set([self.skills["SQL"]])
        maya = MenteeProfile.objects.create(
            user=self.maya, bio="Two years in.", industry=finance, timezone="Asia/Tokyo"
        )
        maya.skills.set([self.skills["Python"], self.skills["Excel"]])
        for mentee in (self.ben, self.cleo, self.dan, self.eve):
            MenteeProfile.objects.create(user=mentee).skills.set([self.skills["Leadership"]])
        for days, profile in enumerate((otto, rita, sam, maya), start=30):
            _dated(type(profile), profile.pk, created_at=_at(days))
        self._history()

    def _history(self):
        apps = self.apps
        Goal = apps.get_model("mentorship", "Goal")
        Milestone = apps.get_model("mentorship", "Milestone")
        Request = apps.get_model("mentorship", "MentorshipRequest")
        Mentorship = apps.get_model("mentorship", "Mentorship")
        Session = apps.get_model("mentorship", "Session")
        Feedback = apps.get_model("mentorship", "Feedback")
        MatchRound = apps.get_model("matching", "MatchRound")
        MatchProposal = apps.get_model("matching", "MatchProposal")
        AdminAction = apps.get_model("matching", "AdminAction")
        SignUp = apps.get_model("accounts", "SignUp")
        EmailChange = apps.get_model("accounts", "EmailChange")

        goal = Goal.objects.create(mentee=self.maya, title="Lead a data project", description="By June.")
        goal.skills.set([self.skills["Python"], self.skills["Excel"]])
        Milestone.objects.create(goal=goal, title="Pitch it", done=True, done_at=_at(40))
        Milestone.objects.create(goal=goal, title="Ship it")
        Goal.objects.create(mentee=self.ben, title="Speak up", status="achieved")

        def request(mentee, mentor, status, **fields):
            made = Request.objects.create(
                mentee=mentee, mentor=mentor, status=status, expires_at=_at(60), message="Hello", **fields
            )
            made.goals.set(Goal.objects.filter(mentee=mentee))
            return made

        accepted = request(self.maya, self.otto, "accepted", responded_at=_at(41))
        request(self.ben, self.otto, "pending")
        request(self.cleo, self.rita, "declined", decline_reason="no_capacity", decline_note="Full.")
        request(self.dan, self.otto, "withdrawn")
        request(self.eve, self.rita, "expired")
        request(self.ben, self.rita, "withdrawn", close_reason="mentee_matched")

        active = Mentorship.objects.create(mentee=self.maya, mentor=self.otto, request=accepted, started_at=_at(41))
        Mentorship.objects.create(
            mentee=self.dan,
            mentor=self.rita,
            status="completed",
            started_at=_at(10),
            ended_at=_at(30),
            ended_by=self.dan,
        )
        session = Session.objects.create(
            mentorship=active, date=_at(45).date(), duration_minutes=45, notes="Planned.", topics=["scope"]
        )
        session.goals.set([goal])
        Feedback.objects.create(session=session, rating=5, comment="Great.")
        Session.objects.create(mentorship=active, date=_at(50).date(), duration_minutes=30)

        published = MatchRound.objects.create(
            name="Spring matching",
            weights={"skills": 1.0, "industry": 0.5, "goals": 1.0},
            status="published",
            progress=1.0,
            created_by=self.alex,
            published_at=_at(55),
            published_by=self.alex,
        )
        MatchRound.objects.create(name="Autumn matching", weights={"skills": 1.0}, status="proposed")
        offer = request(self.cleo, self.otto, "pending", origin="match_round")
        overridden = request(self.eve, self.sam, "pending", origin="match_round")
        MatchProposal.objects.create(round=published, mentee=self.cleo, mentor=self.otto, score=0.8, request=offer)
        MatchProposal.objects.create(
            round=published,
            mentee=self.eve,
            mentor=self.sam,
            score=0.4,
            proposed_mentor=self.otto,
            overridden_by=self.alex,
            request=overridden,
        )
        self.action_times = {}
        for days, kind in enumerate(("round_create", "proposal_override", "round_publish", "participants_import")):
            action = AdminAction.objects.create(
                actor=None if kind == "participants_import" else self.alex,
                kind=kind,
                target=f"match round {published.pk}",
                details={"n": days},
            )
            _dated(AdminAction, action.pk, at=_at(50 + days))
            self.action_times[kind] = _at(50 + days)

        SignUp.objects.create(
            email="paul@example.org",
            username="paul",
            full_name="Paul",
            role="mentor",
            password="pbkdf2_sha256$x",
            token_digest="a" * 64,
        )
        EmailChange.objects.create(user=self.maya, email="maya@new.example.org", token_digest="b" * 64)


def test_every_person_and_everything_they_did_lands_in_the_default_program(before_programs, settings):
    old = OldWorld(before_programs)
    counts = _counts(before_programs)

    _migrate_forward()

    from django.apps import apps

    from accounts.models import Profile, SignUp, User
    from matching.models import MatchRound
    from mentorship.models import Mentorship, MentorshipRequest
    from programs.models import AdminAction, Membership, Program

    assert _counts(apps) == counts
    main = Program.objects.get()
    assert (main.slug, main.kind, main.format, main.enrollment) == ("main", "evergreen", "one_on_one", "open")
    assert (main.mentee_limit, main.request_expiry_days) == (2, 21)
    assert main.default_weights == {"skills": 1.0, "industry": 0.5, "goals": 1.0}

    roles = {(m.user.username, m.role, m.status, m.capacity, m.accepting_requests) for m in Membership.objects.all()}
    assert roles == {
        ("otto", "mentor", "active", 3, True),
        ("rita", "mentor", "active", 1, False),
        ("sam", "mentor", "active", 0, True),
        ("sam", "admin", "active", 2, True),
        ("gus", "mentor", "active", 2, True),  # no profile: the old defaults
        ("maya", "mentee", "active", 2, True),
        ("ben", "mentee", "active", 2, True),
        ("cleo", "mentee", "active", 2, True),
        ("dan", "mentee", "active", 2, True),
        ("eve", "mentee", "active", 2, True),
        ("alex", "admin", "active", 2, True),
    }
    assert set(Membership.objects.values_list("program__slug", flat=True)) == {"main"}
    for membership in Membership.objects.select_related("user"):
        assert membership.created_at == membership.user.date_joined, membership

    # One profile each, with both sides: what a mentor taught, what a mentee wanted to grow.
    assert Profile.objects.count() == User.objects.count()
    otto = Profile.objects.get(user__username="otto")
    assert (otto.headline, otto.bio, otto.industry.name, otto.timezone, otto.years_experience) == (
        "Staff engineer",
        "Twelve years of backend work.",
        "Software",
        "Europe/Berlin",
        12,
    )
    assert sorted(otto.skills.values_list("name", flat=True)) == ["Leadership", "Platform engineering", "Python"]
    assert not otto.wanted_skills.exists()
    assert otto.skills.get(name="Platform engineering").status == "suggested"
    assert otto.created_at == _at(30)
    rita = Profile.objects.get(user__username="rita")
    assert (rita.headline, rita.industry.name, rita.timezone, rita.years_experience) == (
        "CFO",
        "Finance",
        "America/New_York",
        25,
    )
    maya = Profile.objects.get(user__username="maya")
    assert (maya.headline, maya.bio, maya.industry.name, maya.timezone, maya.years_experience) == (
        "",
        "Two years in.",
        "Finance",
        "Asia/Tokyo",
        0,
    )
    assert sorted(maya.wanted_skills.values_list("name", flat=True)) == ["Excel", "Python"]
    assert not maya.skills.exists()
    assert maya.created_at == _at(33)
    assert list(Profile.objects.get(user__username="ben").wanted_skills.values_list("name", flat=True)) == [
        "Leadership"
    ]
    for username in ("alex", "nora", "gus"):  # nobody had a profile: an empty one, as old as the account
        empty = Profile.objects.get(user__username=username)
        assert (empty.headline, empty.bio, empty.industry, empty.timezone) == ("", "", None, "UTC")
        assert empty.created_at == empty.user.date_joined
        assert not empty.skills.exists() and not empty.wanted_skills.exists()

    # Every request, mentorship and round joined main, as it was.
    assert set(MentorshipRequest.objects.values_list("program__slug", flat=True)) == {"main"}
    assert set(Mentorship.objects.values_list("program__slug", flat=True)) == {"main"}
    assert set(MatchRound.objects.values_list("program__slug", flat=True)) == {"main"}
    assert sorted(MentorshipRequest.objects.values_list("status", "origin")) == [
        ("accepted", "self"),
        ("declined", "self"),
        ("expired", "self"),
        ("pending", "match_round"),
        ("pending", "match_round"),
        ("pending", "self"),
        ("withdrawn", "self"),
        ("withdrawn", "self"),
    ]
    declined = MentorshipRequest.objects.get(status="declined")
    assert (declined.decline_reason, declined.decline_note) == ("no_capacity", "Full.")
    assert Mentorship.objects.get(status="active").request.status == "accepted"
    overridden = apps.get_model("matching", "MatchProposal").objects.get(mentee__username="eve")
    assert (overridden.proposed_mentor.username, overridden.overridden_by.username) == ("otto", "alex")
    assert overridden.request.origin == "match_round"

    # The admins' record moved, each act with when it happened and who did it.
    moved = {a.kind: a for a in AdminAction.objects.all()}
    assert {kind: a.at for kind, a in moved.items()} == old.action_times
    assert {a.program.slug for a in moved.values()} == {"main"}
    assert moved["round_publish"].actor.username == "alex" and moved["participants_import"].actor is None
    assert moved["round_create"].details == {"n": 0}

    # A pending sign-up keeps its role (it joins the default program when its link is followed).
    assert SignUp.objects.values_list("username", "role", "program").get() == ("paul", "mentor", "")
    assert User.objects.get(username="maya").pending_email_change.email == "maya@new.example.org"
    assert not User.objects.get(username="eve").is_active


def test_migrating_many_people_takes_time_in_proportion_to_them(before_programs, capsys):
    """2,000 people with profiles, skills and requests: the migration must walk them in batches, not one by one
    (the time is printed, not asserted; the test checks that everything arrived)."""
    apps = before_programs
    User = apps.get_model("accounts", "User")
    Skill = apps.get_model("accounts", "Skill")
    MentorProfile = apps.get_model("accounts", "MentorProfile")
    MenteeProfile = apps.get_model("accounts", "MenteeProfile")
    Request = apps.get_model("mentorship", "MentorshipRequest")
    skills = Skill.objects.bulk_create([Skill(name=f"Skill {n}") for n in range(40)])
    people = User.objects.bulk_create(
        [
            User(username=f"p{n}", email=f"p{n}@example.org", role="mentor" if n % 4 == 0 else "mentee")
            for n in range(2_000)
        ]
    )
    mentors = [u for u in people if u.role == "mentor"]
    mentees = [u for u in people if u.role == "mentee"]
    mentor_profiles = MentorProfile.objects.bulk_create([MentorProfile(user=u, capacity=3) for u in mentors])
    mentee_profiles = MenteeProfile.objects.bulk_create([MenteeProfile(user=u) for u in mentees])
    for model, profiles, owner in (
        (MentorProfile, mentor_profiles, "mentorprofile_id"),
        (MenteeProfile, mentee_profiles, "menteeprofile_id"),
    ):
        through = model.skills.through
        through.objects.bulk_create(
            [through(**{owner: p.pk, "skill_id": skills[(p.pk + k) % 40].pk}) for p in profiles for k in range(3)]
        )
    Request.objects.bulk_create(
        [
            Request(mentee=mentee, mentor=mentors[n % len(mentors)], expires_at=timezone.now())
            for n, mentee in enumerate(mentees)
        ]
    )

    took = _migrate_forward()

    from accounts.models import Profile
    from mentorship.models import MentorshipRequest
    from programs.models import Membership

    with capsys.disabled():
        print(f"\nmigrating 2,000 people (500 mentors, 1,500 mentees, 1,500 requests) took {took:.2f} s")
    assert Membership.objects.mentors().filter(capacity=3).count() == 500
    assert Membership.objects.mentees().count() == 1_500
    assert Profile.objects.count() == 2_000
    assert Profile.skills.through.objects.count() == 1_500
    assert Profile.wanted_skills.through.objects.count() == 4_500
    assert MentorshipRequest.objects.filter(program__slug="main").count() == 1_500
