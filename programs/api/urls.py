from django.urls import path

from config.api import Router
from programs.api import views

router = Router()
router.register("programs", views.ProgramViewSet, basename="program")
router.register("programs/<slug:program>/members", views.MemberViewSet, basename="program-member")

urlpatterns = [
    path("invitations/accept/", views.InvitationAcceptView.as_view(), name="api-invitation-accept"),
    *router.urls,
]
