"""Production's URLs plus two reference views, the floors the app's answers are compared with:

- `/bench/bare/`: a constant JSON object from a plain Django view, through the same middleware;
- `/bench/bare-api/`: the same object from a DRF view with the API's own authentication and permission (signed
  in, by token): what any signed-in API answer costs before it does anything.
"""

from django.http import JsonResponse
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as app_urlpatterns


def bare(request):
    return JsonResponse({"ok": True})


class BareApi(APIView):
    def get(self, request):
        return Response({"ok": True})


urlpatterns = [path("bench/bare/", bare), path("bench/bare-api/", BareApi.as_view()), *app_urlpatterns]
