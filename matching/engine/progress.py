"""One 0..1 progress figure for a whole run, from the progress of its stages."""

from collections.abc import Callable

Progress = Callable[[float], None]

# Shares of the progress bar per stage: the candidate search is most of the work.
STAGES = {"features": 0.1, "candidates": 0.75, "assignment": 0.1, "explain": 0.05}


class Reporter:
    """Turns stage progress into one 0..1 figure for the caller's progress bar."""

    def __init__(self, progress: Progress | None):
        self.progress = progress
        self.done = 0.0

    def within(self, stage: str) -> Progress | None:
        if self.progress is None:
            return None
        base, share = self.done, STAGES[stage]
        return lambda fraction: self.progress(base + share * fraction)

    def stage_done(self, stage: str) -> None:
        self.done += STAGES[stage]
        if self.progress is not None:
            self.progress(min(self.done, 1.0))
