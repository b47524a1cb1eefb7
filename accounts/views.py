"""Account pages. Sign-in and sign-out are Django's own views; sign-up posts to the API."""

from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie

from accounts import selectors, services
from accounts.decorators import program_admin_required
from accounts.forms import ParticipantPasswordResetForm
from accounts.models import MAX_CAPACITY, User
from accounts.throttle import attempt_allowed


def landing(request):
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "accounts/landing.html")


@ensure_csrf_cookie
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    role = request.GET.get("role") if request.GET.get("role") in User.Role.values else User.Role.MENTEE
    return render(request, "accounts/signup.html", {"role": role})


def signup_sent(request):
    """Where the sign-up form continues, whoever is registered: the next step is in the email. The address typed
    comes in the #fragment, shown by the page's script, so that it never reaches the server or its logs."""
    return render(request, "accounts/signup_sent.html", {"hours": settings.SIGNUP_CONFIRM_HOURS})


@never_cache
@ensure_csrf_cookie
def signup_confirm(request, token: str):
    """The emailed link. Showing it changes nothing (mail scanners open links); its button posts to the API."""
    signup = selectors.signup_for_token(token=token)
    return render(
        request,
        "accounts/signup_confirm.html",
        {"signup": signup, "token": token, "hours": settings.SIGNUP_CONFIRM_HOURS},
    )


@never_cache
@ensure_csrf_cookie
def email_change_confirm(request, token: str):
    """The link emailed to a new address. Showing it changes nothing (mail scanners open links); its button posts
    to the API. Anyone holding it may follow it, signed in or not, in any browser."""
    change = selectors.email_change_for_token(token=token)
    if change is not None and request.user.pk == change.user_id:
        then = reverse("profile-page") + "?email=confirmed" if change.user.role else reverse("home")
    else:
        then = reverse("login") + "?email=confirmed"
    return render(
        request,
        "accounts/email_change_confirm.html",
        {"change": change, "token": token, "then": then, "hours": settings.SIGNUP_CONFIRM_HOURS},
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
    user = selectors.user_with_profile(user_id=request.user.pk)
    if user.profile is None:
        raise PermissionDenied("Program admins have no participant profile.")
    return render(
        request,
        "accounts/profile.html",
        {
            "account": user,
            "profile": user.profile,
            "skills": ", ".join(s.name for s in user.profile.skills.all()),
            "suggested_skills": [s.name for s in user.profile.skills.all() if s.is_suggestion],
            "timezones": sorted(available_timezones()),
            "max_capacity": MAX_CAPACITY,
        },
    )


TOO_MANY = "Too many attempts from your network. Please wait a minute and try again."


class SignInView(auth_views.LoginView):
    """Django's sign-in page, slowed down per address like the API's token endpoint."""

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
    known; slowed down per address."""

    form_class = ParticipantPasswordResetForm

    def post(self, request, *args, **kwargs):
        if not attempt_allowed(request, "sign_in"):
            form = self.get_form()
            form.add_error(None, TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)
