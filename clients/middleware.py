"""The companion's boundary, decided in clients/access.py."""

from django.http import HttpRequest, HttpResponse

from clients.access import companion_boundary


class CompanionBoundaryMiddleware:
    """A client account reaches its companion pages and its account pages only (404 else)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return companion_boundary(request) or self.get_response(request)
