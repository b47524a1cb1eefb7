"""Account pages. Sign-in and sign-out are Django's own views; these are the pages around them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts import selectors


def landing(request):
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "accounts/landing.html")


@login_required
def home(request):
    user = selectors.user_with_profile(user_id=request.user.pk)
    return render(request, "accounts/home.html", {"account": user, "profile": user.profile})
