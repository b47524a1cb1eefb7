"""What the navigation of every page needs to know about programs (templates/base.html)."""

from programs import selectors
from programs.models import Membership, Program


def navigation(request) -> dict:
    """The person's programs (for the switcher, shown when there are several), the current one, and what they
    may do there: the navigation branches on these, never on a role string. One query (memberships_of caches)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    programs = selectors.programs_of(user)
    current = selectors.current_program(request)
    active_roles = {m.role for m in selectors.memberships_of(user) if m.status == Membership.Status.ACTIVE}
    return {
        "nav": {
            "programs": programs,
            "current": current,
            "switcher": len(programs) > 1,
            "is_admin_here": selectors.is_program_admin(user, current),
            # A peer program's people find each other on its peers page, where another program lists its mentors.
            "finds_peers": current.format == Program.Format.PEER,
            "in_a_program": bool(active_roles - {Membership.Role.ADMIN}),
            "has_goals": bool(active_roles & {Membership.Role.MENTEE, Membership.Role.PEER}),
            # user.is_program_admin, from the memberships already read (it would cost a query of its own).
            "reviews_skills": user.is_staff or Membership.Role.ADMIN in active_roles,
        }
    }
