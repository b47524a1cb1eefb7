from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from matching.imports import participants_import
from matching.management.programs import program_option


class Command(BaseCommand):
    help = (
        "Create or update a program's mentors and mentees from a CSV file with the header "
        "role,username,email,full_name,industry,skills,goals,capacity (then, optionally, some of "
        "headline,bio,timezone,languages,wanted_skills). A mentor's skills are what they teach, a mentee's what "
        "they want to grow. The whole file is checked first: if any row is bad, every bad line is listed, nothing "
        "is imported and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_path", metavar="FILE.csv")
        parser.add_argument("--program", metavar="SLUG", help="The program they join (may be omitted with one).")
        parser.add_argument(
            "--site-url",
            default=settings.SITE_URL,
            help="Where the invitation links of new people point (default: SITE_URL).",
        )

    def handle(self, *args, csv_path, program=None, site_url=None, **options):
        program = program_option(program)
        try:
            content = Path(csv_path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {csv_path}: {error.strerror}.") from None
        report = participants_import(csv_file=content, program=program, site_url=site_url)

        if report.errors:
            lines = "\n".join(str(error) for error in report.errors)
            raise CommandError(f"Nothing was imported from {csv_path}; fix these lines and run it again:\n{lines}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {csv_path} into {program.slug}.\n"
                f"Mentors: {report.mentors_created} created, {report.mentors_updated} updated.\n"
                f"Mentees: {report.mentees_created} created, {report.mentees_updated} updated."
            )
        )
