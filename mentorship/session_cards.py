"""What the mentorship page shows of each session to the person looking at it: the ratings they may read (each
comment only when its author shared it, to its author, and to the program's admins), whether they may rate it and
with whom a comment would be shared, and the progress ratings on the goals it worked on (the goal's owner reads
those on their goals; the mentor rates them)."""

from mentorship import naming, relationships, selectors
from mentorship.models import Mentorship, Session


def share_with(mentorship: Mentorship, viewer) -> str:
    """Whom "share my comment" shows it to, in words: "Otto", "the circle", "Ivy"."""
    if mentorship.is_circle:
        return "the circle"
    others = naming.partners_of(mentorship, viewer)
    return " and ".join(person.get_short_name() for person in others) or "the others"


def session_cards(mentorship: Mentorship, viewer) -> list[Session]:
    """The mentorship's sessions, newest first, each with what the page shows `viewer` of its ratings."""
    side = mentorship.side_of(viewer)
    confidential = relationships.reads_confidential(mentorship, viewer)
    # The mentor, the peers and the program's admins read everyone's ratings; a member (a mentee of a one-on-one or
    # of a circle) reads their own, the mentor's, and those whose author shared their comment.
    reads_all = side in ("mentor", "peer") or not naming.was_member(mentorship, viewer)
    sessions = list(selectors.session_list(mentorship=mentorship))
    order = {person.pk: i for i, person in enumerate(mentorship.people())}  # the mentor, then by joining
    names = {m.user_id: m.user.get_short_name() for m in mentorship.members.all()}
    if mentorship.mentor_id:
        names[mentorship.mentor_id] = mentorship.mentor.get_short_name()
    for item in sessions:
        ratings = list(item.feedback.all())
        attendees = {person.pk: person for person in item.attendees.all()}
        item.own_rating = next((f for f in ratings if f.author_id == viewer.pk), None)
        others = [
            f
            for f in ratings
            if f.author_id != viewer.pk and (reads_all or f.shared or f.author_id == mentorship.mentor_id)
        ]
        for feedback in others:
            feedback.comment_shown = relationships.comment_visible(feedback, viewer, confidential=confidential)
            feedback.unshared = not feedback.shared  # an admin reads it; the page says the others do not
        item.other_ratings = others
        item.can_rate = item.own_rating is None and relationships.can_rate(item, viewer)
        item.missed_it = side in ("mentee", "peer") and viewer.pk not in attendees
        item.came = sorted(attendees.values(), key=lambda person: order.get(person.pk, len(order)))
        progress = list(item.progress_ratings.all())
        item.progress_shown = [
            rating for rating in progress if relationships.progress_visible(rating, viewer, confidential=confidential)
        ]
        rated = {rating.goal_id for rating in progress if rating.rater_id == viewer.pk}
        rateable = relationships.goals_to_rate(item, viewer, mentorship=mentorship)
        item.goals_to_rate = [goal for goal in rateable if goal.pk not in rated]
        for rating in item.progress_shown:
            rating.rater_name = names.get(rating.rater_id, "")
            rating.on_own_goal = rating.goal.mentee_id == viewer.pk
    return sessions
