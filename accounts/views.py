"""Account pages. Sign-in and sign-out are Django's own views; sign-up posts to the API."""

from django.shortcuts import redirect, render
from django.views.decorators.csrf import ensure_csrf_cookie

from accounts.models import User


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
