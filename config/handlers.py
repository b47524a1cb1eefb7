"""What Django answers when no view could: no URL matched, the request could not be read, a view failed. People
get a page; API clients get the JSON every API error has (`{"detail": …}` with a JSON content type), never HTML.

Django calls these only with DEBUG off; with it on, it shows its own debugging pages."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views import defaults

API_PREFIX = "/api/"
SERVER_ERROR = "Something went wrong on our side; it has been logged. Please try again in a moment."


def is_api_request(request) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request, exception):
    if not is_api_request(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return JsonResponse({"detail": f"The request body is larger than {limit} bytes."}, status=413)
    return JsonResponse({"detail": "The request could not be read."}, status=400)


def permission_denied(request, exception):
    if not is_api_request(request):
        return defaults.permission_denied(request, exception)
    return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)


def page_not_found(request, exception):
    if not is_api_request(request):
        return defaults.page_not_found(request, exception)
    return JsonResponse({"detail": "Not found."}, status=404)


def server_error(request):
    if not is_api_request(request):
        return defaults.server_error(request)
    return JsonResponse({"detail": SERVER_ERROR}, status=500)
