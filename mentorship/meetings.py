"""(issue 14) Filled in by the meetings work: page_context gives the mentorship page what it shows of it."""


def page_context(mentorship, viewer) -> dict:
    return {}
