"""The home page: what each role needs first, assembled from every app's selectors. The site's 404."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults

from accounts import selectors as accounts
from matching import recommendations
from matching.selectors import round_list
from mentorship import selectors as mentorship
from mentorship.models import Mentorship, MentorshipRequest

RECOMMENDED_ON_HOME = 5


@login_required
def home(request):
    user = accounts.user_with_profile(user_id=request.user.pk)
    context = {"account": user, "profile": user.profile}
    if user.is_mentee:
        context["recommended"] = recommendations.recommended_mentors(mentee=user, limit=RECOMMENDED_ON_HOME)
        context["requests"] = mentorship.request_list_for(user=user)[:5]
        context["mentorship"] = (
            mentorship.mentorship_list_for(user=user).filter(status=Mentorship.Status.ACTIVE).first()
        )
        context["goals"] = mentorship.goal_list_for(user=user)
    elif user.is_mentor:
        context["pending"] = mentorship.request_list_for(user=user).filter(status=MentorshipRequest.Status.PENDING)
        context["mentorships"] = mentorship.mentorship_list_for(user=user).filter(status=Mentorship.Status.ACTIVE)
    else:
        context["rounds"] = round_list()[:5]
    return render(request, "home.html", context)


def not_found(request, exception):
    """An API address that names nothing (`/api/v1/goals/abc/`: no route takes it) answers as every other API
    404 does, in JSON; a page address gets the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
