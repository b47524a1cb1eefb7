"""Who may open a page: the checks that pages of every app share."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.csrf import ensure_csrf_cookie


def program_admin_required(view):
    """A program admin's page (its actions post to the API, hence the CSRF cookie); 403 for anyone else."""

    @login_required
    @ensure_csrf_cookie
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_program_admin:
            raise PermissionDenied("Only program admins run the program's matching, reports and taxonomy.")
        return view(request, *args, **kwargs)

    return guarded
