"""The home page: what each role needs first, assembled from every app's selectors."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

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
