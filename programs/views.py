"""Program pages: "My programs", each program's page, its admins' participants and settings pages, the program
switcher and the page an invitation link leads to. Actions post to the API (static/js/api.js)."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from programs import selectors
from programs.models import INVITATION_DAYS, Invitation, Membership, Program

Status = Membership.Status
MEMBERS_PER_PAGE = 50
INVITATION_TOKEN = "invitation_link_token"
MAX_TOKEN_LENGTH = 100


@login_required
def program_list(request):
    """The programs a person is in (with their roles there) and those open for them to join."""
    mine: dict[int, list[Membership]] = defaultdict(list)
    for membership in selectors.memberships_of(request.user):
        if membership.status != Membership.Status.REMOVED:
            mine[membership.program_id].append(membership)
    visible = list(selectors.programs_visible_to(request.user).order_by("name", "id"))
    return render(
        request,
        "programs/program_list.html",
        {
            "mine": [(p, mine[p.pk]) for p in visible if p.pk in mine],
            "joinable": [p for p in visible if p.pk not in mine and selectors.joinable_roles(request.user, p)],
            "others": [p for p in visible if p.pk not in mine and not selectors.joinable_roles(request.user, p)],
        },
    )


@login_required
@ensure_csrf_cookie
def program_page(request, slug: str):
    """A program: what it is, its dates and format, your roles in it, and the ways to join it. Visiting it makes
    it your current program (the one the flat pages act on) when you are in it."""
    program = selectors.program_for(request.user, slug)
    selectors.current_program_choose(request, program)
    memberships = selectors.my_memberships_in(request.user, program)
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "memberships": memberships,
            "joinable_roles": selectors.joinable_roles(request.user, program),
            "is_admin_here": selectors.is_program_admin(request.user, program),
            "is_mentor_here": any(m.role == Membership.Role.MENTOR and m.is_active for m in memberships),
        },
    )


@login_required
@require_POST
def program_switch(request):
    """The navigation's switcher: the chosen program becomes the current one, then back to where the person was."""
    slug = request.POST.get("program", "")
    mine = {p.slug: p for p in selectors.programs_of(request.user)}
    if slug in mine:
        selectors.current_program_choose(request, mine[slug])
    then = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(then, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        then = reverse("home")
    return HttpResponseRedirect(then)


def _choice(value: str, choices) -> str:
    return value if value in dict(choices) else ""


@login_required
@ensure_csrf_cookie
def participants(request, slug: str):
    """A program's admins manage its people: search by role, status and words; approve, remove, change capacity,
    resend invitations, invite by address; each person's mentorships in the program."""
    program = selectors.program_administered_by(request.user, slug)
    role = _choice(request.GET.get("role", ""), Membership.Role.choices)
    status = _choice(request.GET.get("status", ""), Membership.Status.choices)
    query = request.GET.get("q", "").strip()[:100]
    members = selectors.member_list(program=program, role=role, status=status, query=query)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    mentorships = selectors.mentorships_by_person(program=program, user_ids={m.user_id for m in page})
    rows = [
        {
            "member": m,
            "mentorships": mentorships.get(m.user_id, []),
            "can_approve": m.status in (Status.PENDING, Status.REMOVED, Status.LEFT),
            "approve_label": "Approve" if m.status == Status.PENDING else "Take back",
            "can_resend": m.status == Status.INVITED,
            "can_remove": m.status != Status.REMOVED,
            "has_capacity": m.role == Membership.Role.MENTOR,
        }
        for m in page
    ]
    return render(
        request,
        "programs/participants.html",
        {
            "program": program,
            "page": page,
            "rows": rows,
            "roles": Membership.Role.choices,
            "statuses": Membership.Status.choices,
            "filters": {"chosen_role": role, "status": status, "q": query},
            "active": Status.ACTIVE,
            "removed": Status.REMOVED,
        },
    )


@login_required
@ensure_csrf_cookie
def program_settings(request, slug: str):
    """A program's admins change its settings (the form patches the API)."""
    program = selectors.program_administered_by(request.user, slug)
    return render(
        request,
        "programs/settings.html",
        {
            "program": program,
            "formats": Program.Format.choices,
            "kinds": Program.Kind.choices,
            "enrollments": Program.Enrollment.choices,
        },
    )


# As accounts' emailed links (accounts/views.py): the link puts its token in the session and goes on at once to a
# page whose address holds no token; the page's form posts it to the API. Opening the link changes nothing.
@never_cache
def invitation_link(request, token: str):
    if len(token) <= MAX_TOKEN_LENGTH:
        request.session[INVITATION_TOKEN] = token
    else:
        request.session.pop(INVITATION_TOKEN, None)
    return redirect("invitation-page")


@never_cache
@ensure_csrf_cookie
def invitation_page(request):
    """The invited person chooses a password; the API activates the membership and signs them in."""
    token = request.session.get(INVITATION_TOKEN, "")
    invitation = None
    if token:
        invitation = (
            Invitation.objects.valid()
            .for_token(token)
            .select_related("membership__user", "membership__program")
            .first()
        )
    return render(
        request,
        "programs/invitation.html",
        {"invitation": invitation, "token": token, "days": INVITATION_DAYS},
    )
