from django.urls import path

from config.api import Router
from matching.api import views

router = Router()
router.register("match-rounds", views.MatchRoundViewSet, basename="match-round")
# The same views in any program (the flat paths above are the default program's).
in_program = Router()
in_program.register("programs/<slug:program>/match-rounds", views.MatchRoundViewSet, basename="program-match-round")

urlpatterns = [
    path("mentors/recommended/", views.RecommendedMentorsView.as_view(), name="mentor-recommended"),
    path("participants/import/", views.ParticipantsImportView.as_view(), name="participants-import"),
    path(
        "programs/<slug:program>/mentors/recommended/",
        views.RecommendedMentorsView.as_view(),
        name="program-mentor-recommended",
    ),
    path(
        "programs/<slug:program>/participants/import/",
        views.ParticipantsImportView.as_view(),
        name="program-participants-import",
    ),
    *router.urls,
    *in_program.urls,
]
