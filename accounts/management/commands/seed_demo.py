import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from accounts import demo


class Command(BaseCommand):
    help = "Load a believable demo program (mentors, mentees, skills, industries) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--mentors", type=int, default=60)
        parser.add_argument("--mentees", type=int, default=180)

    def handle(self, *args, mentors, mentees, **options):
        if demo.demo_is_loaded():
            self.stdout.write("The demo program is already loaded.")
        else:
            total = 1 + mentors + mentees
            with tqdm(total=total, desc="Building the demo program", unit="people", file=sys.stderr) as bar:
                demo.demo_program_build(mentors=mentors, mentees=mentees, progress=bar.update)
            self.stdout.write(self.style.SUCCESS(f"Created {mentors} mentors and {mentees} mentees."))
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for login in demo.demo_logins():
            self.stdout.write(f"  {login.username:<8} {login.role:<14} {login.full_name}")
