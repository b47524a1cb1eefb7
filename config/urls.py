from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import healthz
from config.inputs import IdConverter
from config.views import home

# `<id:…>` in every app's URLs (before they are included): an id no database could hold matches no URL (404).
register_converter(IdConverter, "id")

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("programs.api.urls")),
    path("", include("matching.api.urls")),  # before mentorship's: /mentors/recommended/ is more specific
    path("", include("mentorship.api.urls")),
    path("", include("evaluation.api.urls")),
    path("", include("notifications.api.urls")),
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
    path("", include("programs.urls")),
    path("", include("mentorship.urls")),
    path("", include("matching.urls")),
    path("", include("notifications.urls")),
    path("", include("evaluation.urls")),
]

handler400 = "config.handlers.bad_request"
handler403 = "config.handlers.permission_denied"
handler404 = "config.handlers.page_not_found"
handler500 = "config.handlers.server_error"
