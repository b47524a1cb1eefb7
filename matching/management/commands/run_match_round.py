import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from config.errors import Conflict, ServiceUnavailable
from matching.management.programs import program_option
from matching.models import MatchRound
from matching.rounds import round_create
from matching.runner import round_enqueue, round_run


class Command(BaseCommand):
    help = "Run a match round over a program's mentees waiting for a mentor; print the round id and its stats."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--program", metavar="SLUG", help="The program (may be omitted with one).")
        parser.add_argument("--sync", action="store_true", help="Run here and now instead of in a worker.")
        parser.add_argument("--mode", choices=MatchRound.Mode.values, default=MatchRound.Mode.OPTIMAL)
        parser.add_argument("--skills", type=float, help="Weight of shared skills (default: the program's).")
        parser.add_argument("--industry", type=float, help="Weight of the same industry (default: the program's).")
        parser.add_argument("--goals", type=float, help="Weight of goal and bio words (default: the program's).")
        parser.add_argument("--top-k", type=int, default=50, help="Candidate mentors kept per mentee.")
        parser.add_argument("--min-score", type=float, default=0.0)
        parser.add_argument("--same-industry", action="store_true")
        parser.add_argument("--max-timezone-hours", type=float)
        parser.add_argument(
            "--min-group-size", type=int, default=1, help="Group programs: the smallest circle proposed (default 1)."
        )

    def handle(self, *args, **o):
        weights = {k: o[k] for k in ("skills", "industry", "goals") if o[k] is not None}
        program = program_option(o["program"])
        try:
            match_round = round_create(
                program=program,
                name=o["name"],
                created_by=None,
                weights=weights,
                mode=o["mode"],
                top_k=o["top_k"],
                min_score=o["min_score"],
                same_industry=o["same_industry"],
                max_timezone_hours=o["max_timezone_hours"],
                min_group_size=o["min_group_size"],
                enqueue=False,
            )
        except ValidationError as error:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from None
        except Conflict as error:
            raise CommandError(error.message) from None

        self.stdout.write(f"Round {match_round.pk} ({match_round.name})")
        if not o["sync"]:
            try:
                round_enqueue(round_id=match_round.pk)
            except ServiceUnavailable as error:
                raise CommandError(f"Round {match_round.pk} is saved but not started: {error.message}") from None
            match_round.refresh_from_db()
            self.stdout.write(f"Queued for the workers; status: {match_round.status}.")
            return
        match_round = round_run(round_id=match_round.pk)
        if match_round.status == MatchRound.Status.FAILED:
            raise CommandError(f"Round {match_round.pk} failed: {match_round.error}")
        self.stdout.write(f"Status: {match_round.status}")
        self.stdout.write(json.dumps(match_round.stats, indent=2))
