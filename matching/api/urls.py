from django.urls import path
from rest_framework.routers import SimpleRouter

from matching.api import views

router = SimpleRouter()
router.register("match-rounds", views.MatchRoundViewSet, basename="match-round")

urlpatterns = [
    path("mentors/recommended/", views.RecommendedMentorsView.as_view(), name="mentor-recommended"),
    path("participants/import/", views.ParticipantsImportView.as_view(), name="participants-import"),
    *router.urls,
]
