"""The layout a page shared by every role (account, second step, sign-out, errors) uses.

A client account sees them in its companion's layout, with the clinic's crisis
information; everyone else in the clinician's. Staff cost no query here, and the
client's record is read only if the page uses it.
"""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from clients.access import companion_client, is_companion_client

COMPANION_LAYOUT = "exercises/companion/_base.html"


def companion_layout(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not is_companion_client(user):
        return {}
    client = SimpleLazyObject(lambda: companion_client(user))
    return {
        "layout": COMPANION_LAYOUT,
        "companion_client": client,
        "crisis_line": SimpleLazyObject(lambda: client.clinic.crisis_line),
    }
