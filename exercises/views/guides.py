from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from exercises.guides import GUIDES, GUIDES_BY_SLUG


@require_GET
def guide_index(request: HttpRequest) -> HttpResponse:
    return render(request, "exercises/guide_index.html", {"guides": GUIDES})


def guide_view(slug: str) -> Callable:
    """One view per guide, so guide URLs carry no id for the access walk to chase."""

    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "exercises/guide_detail.html",
            {"guide": GUIDES_BY_SLUG[slug], "guides": GUIDES},
        )

    view.__name__ = "guide_" + slug.replace("-", "_")
    return view
