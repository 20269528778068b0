"""How axes names the account in a sign-in attempt.

allauth authenticates with credentials {"email": ..., "password": ...} while the
form field is "login"; without this axes sees no username at all and would
lock out an address for every account instead of one account at that address.
"""

from django.http import HttpRequest


def login_username(request: HttpRequest, credentials: dict | None) -> str | None:
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None:
        value = getattr(request, "POST", {}).get("login")
    return str(value).strip().lower() if value else None
