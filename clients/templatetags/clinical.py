"""Data for the session and plan sections of the client page (clients/_client_*.html)."""

from django import template

from clients.models import Client, PlanRevision
from clients.selectors.plans import plan_of
from clients.selectors.sessions import sessions_of

register = template.Library()


@register.simple_tag
def recent_sessions(client: Client, count: int = 5) -> list:
    return list(sessions_of(client)[:count])


@register.simple_tag
def plan_summary(client: Client) -> dict:
    plan = plan_of(client)
    if plan is None:
        return {"plan": None}
    revisions = list(plan.revisions.only("id", "number", "status", "signed_at", "plan_id"))
    signed = [r for r in revisions if r.status == PlanRevision.Status.SIGNED]
    drafts = [r for r in revisions if r.status == PlanRevision.Status.DRAFT]
    return {
        "plan": plan,
        "current": signed[0] if signed else None,
        "draft": drafts[0] if drafts else None,
        "goal_count": signed[0].goals.count() if signed else 0,
    }


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, []) if mapping else []


@register.filter
def with_article(phrase: str) -> str:
    """'a secure', 'an avoidant', 'an anxious': the article English wants before a word."""
    phrase = str(phrase)
    return f"{'an' if phrase[:1].lower() in 'aeiou' else 'a'} {phrase}"


@register.filter
def days_past(days: int) -> int:
    """How many days past due a negative count of days left is (the release clock)."""
    return -days if days < 0 else 0
