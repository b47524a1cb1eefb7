import sys

from django.core.management.base import BaseCommand, CommandError

from matching.exports import proposals_csv, round_proposal_rows
from matching.models import MatchRound


class Command(BaseCommand):
    help = "Write a match round's proposals as CSV: mentee_username,mentor_username,score."

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)
        parser.add_argument("--output", help="A file to write; standard output by default.")

    def handle(self, *args, round_id, output, **options):
        if not MatchRound.objects.filter(pk=round_id).exists():
            raise CommandError(f"No match round with id {round_id}.")
        rows = round_proposal_rows(round_id).iterator(chunk_size=5000)
        if output:
            with open(output, "w", newline="", encoding="utf-8") as out:
                proposals_csv(rows, out)
            self.stderr.write(f"Wrote {output}")
        else:
            proposals_csv(rows, sys.stdout)
