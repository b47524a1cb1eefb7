from django.urls import path

from config.api import Router
from matching.api import views

router = Router()
router.register("match-rounds", views.MatchRoundViewSet, basename="match-round")

urlpatterns = [
    path("mentors/recommended/", views.RecommendedMentorsView.as_view(), name="mentor-recommended"),
    path("participants/import/", views.ParticipantsImportView.as_view(), name="participants-import"),
    *router.urls,
]
