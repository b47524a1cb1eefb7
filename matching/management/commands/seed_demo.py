import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts import demo as people
from accounts.models import User
from matching import rounds, runner
from mentorship import demo as lifecycle

LIFECYCLE_STEPS = 4
DEMO_ROUND = "Autumn matching (demo)"


class Command(BaseCommand):
    help = (
        "Load a believable demo program (mentors, mentees, goals, requests in every state, mentorships, sessions "
        "and feedback) and print the demo logins."
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
        if people.demo_is_loaded():
            self.stdout.write("The demo program is already loaded.")
        else:
            total = 1 + mentors + mentees + LIFECYCLE_STEPS + 1
            with tqdm(total=total, desc="Building the demo program", unit="step", file=sys.stderr) as bar:
                people.demo_program_build(mentors=mentors, mentees=mentees, progress=bar.update)
                lifecycle.demo_lifecycle_build(progress=bar.update)
                # A round with proposals waiting for review, so an admin has something to look at.
                admin = User.objects.get(username=people.DEMO_ADMIN)
                demo_round = rounds.round_create(name=DEMO_ROUND, created_by=admin, enqueue=False)
                runner.round_run(round_id=demo_round.pk)
                bar.update(1)
            self.stdout.write(
                self.style.SUCCESS(f"Created {mentors} mentors and {mentees} mentees with their history.")
            )
        self.stdout.write(f"Demo logins (password for all: {people.DEMO_PASSWORD}):")
        for login in people.demo_logins():
            self.stdout.write(f"  {login.username:<8} {login.role:<14} {login.full_name}")
