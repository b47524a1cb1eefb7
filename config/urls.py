from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import healthz
from config.views import home

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("matching.api.urls")),  # before mentorship's: /mentors/recommended/ is more specific
    path("", include("mentorship.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the docs obey the Content-Security-Policy.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("home/", home, name="home"),
    path("", include("accounts.urls")),
    path("", include("mentorship.urls")),
    path("", include("matching.urls")),
]

handler404 = "config.views.not_found"
