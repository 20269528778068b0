"""How other apps' pages show exercises: clients never imports exercises, it loads these tags."""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from clients.access import can_see_clinical
from clients.models import Client, TherapySession
from exercises.guides import GUIDES_BY_SLUG
from exercises.selectors import client_exercises, session_exercises

register = template.Library()


def _clinical(context, client: Client) -> bool:
    request = context.get("request")
    return bool(request and can_see_clinical(request.user, client))


@register.inclusion_tag("exercises/_client_exercises_panel.html", takes_context=True)
def client_exercises_panel(context, client: Client) -> dict:
    if not _clinical(context, client):
        return {"allowed": False}
    # New and edit links only where the record takes them (clients.access.may_write_record).
    may_write = getattr(context["request"], "may_write", False)
    return {
        "allowed": True,
        "client": client,
        "ex": client_exercises(client),
        "may_write": may_write,
    }


# Used on the session page as {% session_exercises session %}.
@register.inclusion_tag(
    "exercises/_session_exercises.html", takes_context=True, name="session_exercises"
)
def session_exercises_list(context, session: TherapySession) -> dict:
    if not _clinical(context, session.client):
        return {"allowed": False}
    return {"allowed": True, "session": session, "rows": session_exercises(session)}


@register.inclusion_tag("exercises/_safe_space_button.html", takes_context=True)
def safe_space_button(context, client: Client) -> dict:
    return {"allowed": _clinical(context, client), "client": client}


@register.inclusion_tag("exercises/_guide_link.html")
def guide_link(slug: str) -> dict:
    guide = GUIDES_BY_SLUG[slug]
    return {"guide": guide, "url": reverse(guide.url_name)}


@register.filter
def svg_safe(svg: str) -> SafeString:
    """Mark renderer output safe in templates; only for strings from exercises.svg."""
    return mark_safe(svg)  # noqa: S308
