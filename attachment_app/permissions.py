"""Role checks for views. Object scoping lives with the objects (clients.access)."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def _role_required(flag: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not getattr(request.user, flag, False) or request.user.clinic_id is None:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


therapist_required = _role_required("is_therapist")
clinic_admin_required = _role_required("is_clinic_admin")
