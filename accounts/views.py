"""Account pages. Sign-in and sign-out are Django's own views; sign-up posts to the API."""

from zoneinfo import available_timezones

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.csrf import ensure_csrf_cookie

from accounts import selectors
from accounts.models import MAX_CAPACITY, User


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
            "timezones": sorted(available_timezones()),
            "max_capacity": MAX_CAPACITY,
        },
    )
