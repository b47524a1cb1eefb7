import datetime as dt
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from accounts import demo as people
from accounts.search import profile_search_refresh
from evaluation.demo_history import demo_history_build
from evaluation.demo_skills import demo_skill_ratings_build
from evaluation.demo_surveys import demo_surveys_build
from matching import runner
from matching.models import MatchRound
from mentorship import demo as lifecycle
from mentorship.demo_relationship import demo_relationships_build
from mentorship.models import MentorshipRequest
from mentorship.services import request_notices
from notifications.demo import demo_notices_write
from programs import demo as programs
from programs.models import AdminAction
from programs.services import admin_action_record

LIFECYCLE_STEPS = 5
DEMO_ROUND = "Autumn matching (demo)"
MIN_MENTORS, MIN_MENTEES = 3, 6  # enough for every program to have someone in each role


class Command(BaseCommand):
    help = (
        "Load six believable demo programs (an evergreen one, a cohort, reverse mentoring, an invite-only circle, "
        "group circles, peer pairs) with mentors, mentees, peers, goals, requests in every state, mentorships, "
        "sessions and feedback, and print the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mentors", type=int, default=60)
        parser.add_argument("--mentees", type=int, default=180)
        parser.add_argument(
            "--force", action="store_true", help="Load it even under production settings (a demo server)."
        )

    def handle(self, *args, mentors, mentees, force, **options):
        if not settings.DEMO_DATA_ALLOWED and not force:
            # The demo's accounts share one published password, an admin among them: on a real deployment they
            # would be a door anyone could open.
            raise CommandError(
                f"Refusing to load the demo under production settings: it creates the program admin "
                f"'{people.DEMO_ADMIN}' and others with the published password '{people.DEMO_PASSWORD}'. "
                "Add --force only for a throwaway demo server."
            )
        if mentors < MIN_MENTORS or mentees < MIN_MENTEES:
            raise CommandError(f"The demo needs at least {MIN_MENTORS} mentors and {MIN_MENTEES} mentees.")
        if people.demo_is_loaded():
            self.stdout.write("The demo programs are already loaded.")
        else:
            total = 1 + mentors + mentees + LIFECYCLE_STEPS + 1
            with tqdm(total=total, desc="Building the demo programs", unit="step", file=sys.stderr) as bar:
                with transaction.atomic():
                    who = people.demo_people_build(mentors=mentors, mentees=mentees, progress=bar.update)
                    where = programs.demo_programs_build(people=who)
                    lifecycle.demo_lifecycle_build(people=who, programs=where, progress=bar.update)
                    demo_relationships_build(demo_mentor=who.mentors[0], demo_mentee=who.mentees[0])
                    demo_surveys_build(program=where.main, admin=who.admin, demo_mentee=who.mentees[0])
                    demo_history_build(people=who, programs=where)  # a past round whose pairs' fates fit
                    demo_skill_ratings_build(demo_mentee=who.mentees[0])
                    lifecycle.demo_memberships_backdate()  # last: after everything people did in the programs
                    profile_search_refresh()  # the directory's search reads what the demo wrote in bulk
                    demo_round = self._round(where.main, who.admin)
                    self._notices(who)
                # A round with proposals waiting for review, so an admin has something to look at.
                runner.round_run(round_id=demo_round.pk)
                bar.update(1)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {mentors} mentors and {mentees} mentees in six programs with their history."
                )
            )
        self.stdout.write(f"Demo logins (password for all: {people.DEMO_PASSWORD}):")
        for login in people.demo_logins():
            self.stdout.write(f"  {login.username:<12} {login.full_name:<18} {login.role}")

    @staticmethod
    def _notices(who) -> None:
        """The demo mentor's and mentee's inboxes: the news of their requests as the platform told it (the newest
        unread), so that the inbox and its count in the navigation show something."""
        mentor, mentee = who.mentors[0], who.mentees[0]
        requests = MentorshipRequest.objects.select_related("program", "mentee", "mentor").order_by("-created_at")
        news = [
            (requests.filter(mentor=mentor, status=MentorshipRequest.Status.PENDING).first(), "received"),
            (requests.filter(mentee=mentee, status=MentorshipRequest.Status.ACCEPTED).first(), "accepted"),
            (requests.filter(mentee=mentee, status=MentorshipRequest.Status.DECLINED).first(), "declined"),
            (requests.filter(mentor=mentor, status=MentorshipRequest.Status.EXPIRED).first(), "expired"),
        ]
        notices = [
            {**notice, "ago": dt.timedelta(days=3 * age + 1), "read": age > 1}
            for age, (request, kind) in enumerate((r, k) for r, k in news if r is not None)
            for notice in request_notices(request, kind)
            if notice["recipient_id"] in (mentor.pk, mentee.pk)
        ]
        demo_notices_write(notices=notices)

    @staticmethod
    def _round(program, admin) -> MatchRound:
        """The round an admin would have queued in `program` (written here, as the rest of the demo; the matcher
        runs it)."""
        demo_round = MatchRound.objects.create(
            program=program, name=DEMO_ROUND, weights=dict(program.default_weights), created_by=admin
        )
        admin_action_record(
            actor=admin,
            kind=AdminAction.Kind.ROUND_CREATE,
            program=program,
            target=f"match round {demo_round.pk}",
            details={"name": DEMO_ROUND, "weights": demo_round.weights, "mode": demo_round.mode},
        )
        return demo_round
