"""Account pages. Sign-in and sign-out are Django's own views; sign-up posts to the API."""

import re
from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie

from accounts import lockout, selectors, services
from accounts.decorators import program_admin_required
from accounts.forms import ParticipantPasswordResetForm, SignInForm
from accounts.models import MAX_CAPACITY, MAX_YEARS_EXPERIENCE
from accounts.throttle import attempt_allowed

PROGRAM_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")


def landing(request):
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "accounts/landing.html")


@ensure_csrf_cookie
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    role = request.GET.get("role")
    program = request.GET.get("program", "")
    return render(
        request,
        "accounts/signup.html",
        {
            "as_mentor": role == "mentor",
            # Passed on to the API, which says when no program has this name.
            "program": program if PROGRAM_SLUG.fullmatch(program) else "",
        },
    )


def signup_sent(request):
    """Where the sign-up form continues, whoever is registered: the next step is in the email. The address typed
    comes in the #fragment, shown by the page's script, so that it never reaches the server or its logs."""
    return render(request, "accounts/signup_sent.html", {"hours": settings.SIGNUP_CONFIRM_HOURS})


# An emailed link carries its token in the path, which access logs and browser histories keep. So each link only
# puts its token in the visitor's session and redirects at once to its page, whose address holds no token (as
# Django's PasswordResetConfirmView does); the page puts the token in its form, which posts it to the API. None of
# them signs anyone in on the token alone.
SIGNUP_TOKEN = "signup_link_token"
EMAIL_CHANGE_TOKEN = "email_change_link_token"
EMAIL_REVERT_TOKEN = "email_revert_link_token"
MAX_TOKEN_LENGTH = 100  # as the API takes them: a longer one is no link of ours and is not kept


def _link_to_page(request, token: str, *, session_key: str, page: str):
    if len(token) <= MAX_TOKEN_LENGTH:
        request.session[session_key] = token
    else:
        request.session.pop(session_key, None)
    return redirect(page)


def _link_token(request, session_key: str) -> str:
    return request.session.get(session_key, "")


@never_cache
def signup_confirm(request, token: str):
    """The emailed link that finishes a sign-up: on to its page, without the token in the address."""
    return _link_to_page(request, token, session_key=SIGNUP_TOKEN, page="signup-confirm-page")


@never_cache
@ensure_csrf_cookie
def signup_confirm_page(request):
    """Finishing a sign-up. Showing it changes nothing (mail scanners open links); its form posts to the API with
    the password chosen at sign-up, which the link alone does not give whoever replays it."""
    token = _link_token(request, SIGNUP_TOKEN)
    signup = selectors.signup_for_token(token=token) if token else None
    return render(
        request,
        "accounts/signup_confirm.html",
        {
            "signup": signup,
            "joining": signup.role if signup else "",
            "joining_program": signup.program if signup else "",
            "token": token,
            "hours": settings.SIGNUP_CONFIRM_HOURS,
        },
    )


@never_cache
def email_change_confirm(request, token: str):
    """The link emailed to a new address: on to its page, without the token in the address."""
    return _link_to_page(request, token, session_key=EMAIL_CHANGE_TOKEN, page="email-change-confirm-page")


@never_cache
@ensure_csrf_cookie
def email_change_confirm_page(request):
    """Confirming a new address. Showing it changes nothing (mail scanners open links); its button posts to the
    API. Anyone holding the link may follow it, signed in or not, in any browser."""
    token = _link_token(request, EMAIL_CHANGE_TOKEN)
    change = selectors.email_change_for_token(token=token) if token else None
    if change is not None and request.user.pk == change.user_id:
        then = reverse("profile-page") + "?email=confirmed"
    else:
        then = reverse("login") + "?email=confirmed"
    return render(
        request,
        "accounts/email_change_confirm.html",
        {"change": change, "token": token, "then": then, "hours": settings.SIGNUP_CONFIRM_HOURS},
    )


@never_cache
def email_revert(request, token: str):
    """The link emailed to the old address after a change: on to its page, without the token in the address."""
    return _link_to_page(request, token, session_key=EMAIL_REVERT_TOKEN, page="email-revert-page")


@never_cache
@ensure_csrf_cookie
def email_revert_page(request):
    """Undoing a change of address. Showing it changes nothing; its button posts to the API, then the page for a
    new password follows: whoever made the change knew the password."""
    token = _link_token(request, EMAIL_REVERT_TOKEN)
    revert = selectors.email_revert_for_token(token=token) if token else None
    return render(
        request,
        "accounts/email_revert.html",
        {"revert": revert, "token": token, "days": settings.EMAIL_REVERT_DAYS},
    )


SUGGESTIONS_PER_PAGE = 50


@program_admin_required
def taxonomy_review(request):
    """Program admins review the skill suggestions (approve, merge, reject) and add skills and industries."""
    page = Paginator(selectors.skill_suggestion_list(), SUGGESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    # After adding a term the form comes back here with its name; said only when it is a term (not any text a
    # crafted link would put on the page).
    added = selectors.taxonomy_term_named(name=request.GET.get("added", ""))
    return render(request, "accounts/taxonomy.html", {"page": page, "added": added})


@login_required
@ensure_csrf_cookie
def profile(request):
    """One's profile, both sides; a mentor's capacity and availability too when they mentor in the program the
    profile sets them for (the default one: see `/me/`)."""
    user = selectors.user_with_profile(user_id=request.user.pk)
    profile = user.profile
    skills = list(profile.skills.all())
    wanted_skills = list(profile.wanted_skills.all())
    return render(
        request,
        "accounts/profile.html",
        {
            "account": user,
            "profile": profile,
            "skills": ", ".join(s.name for s in skills),
            "suggested_skills": [s.name for s in skills if s.is_suggestion],
            "wanted_skills": ", ".join(s.name for s in wanted_skills),
            "suggested_wanted_skills": [s.name for s in wanted_skills if s.is_suggestion],
            "languages": ", ".join(profile.languages),
            "timezones": sorted(available_timezones()),
            "max_capacity": MAX_CAPACITY,
            "max_years_experience": MAX_YEARS_EXPERIENCE,
            # The default program's, as `/me/` sets it; in another program, its membership page does.
            "mentoring": selectors.mentoring_in_default_program(user),
            "calendar_url": selectors.calendar_feed_url(profile),
            # The same address for calendar apps: webcal:// asks the system's calendar to subscribe to it.
            "calendar_webcal": "webcal://" + selectors.calendar_feed_url(profile).split("://", 1)[1],
        },
    )


TOO_MANY = "Too many attempts from your network. Please wait a minute and try again."


class SignInView(auth_views.LoginView):
    """Django's sign-in page, slowed down per address like the API's token endpoint. Its failures count toward the
    lockout (accounts/lockout.py) through `authenticate`, and a lockout reads as a wrong password."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not attempt_allowed(request, "sign_in"):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page that sets the new password; then the account is secured (see password_reset_completed)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_completed(user=form.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Sends the reset link to imported participants too, and says the same whether or not the address is
    known; slowed down per address. Each request counts toward the client address's sign-in lockout; from a
    locked-out address it is answered as usual and sends nothing."""

    form_class = ParticipantPasswordResetForm

    def form_valid(self, form):
        if not lockout.password_reset_allowed(self.request):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)

    def post(self, request, *args, **kwargs):
        if not attempt_allowed(request, "sign_in"):
            form = self.get_form()
            form.add_error(None, TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)
