"""Production's URLs plus `/bench/bare/`: the cheapest answer Django gives through the same middleware."""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


def bare(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare/", bare), *app_urlpatterns]
