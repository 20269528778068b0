"""The server side of static/js/autosave.js: one way to answer an autosave."""

from django.forms import BaseForm
from django.http import HttpRequest, JsonResponse
from django.utils import timezone


def is_autosave(request: HttpRequest) -> bool:
    return request.headers.get("X-Autosave") == "1" or request.POST.get("_autosave") == "1"


def autosave_saved(*, url: str) -> JsonResponse:
    return JsonResponse({"saved_at": timezone.localtime().strftime("%H:%M"), "url": url})


def autosave_rejected(form: BaseForm) -> JsonResponse:
    errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
    return JsonResponse(
        {"error": "Not saved: please check the highlighted fields.", "errors": errors}, status=400
    )
