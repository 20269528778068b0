"""The address a request really came from, read one way everywhere.

Behind PROXY_COUNT trusted proxies, each proxy appends the address it saw to
X-Forwarded-For, so the client is the PROXY_COUNT-th entry from the right;
anything further left was written by the client and cannot be trusted. With
no proxy configured the header is ignored (anyone can send it). Axes (lockout),
allauth (rate limits, session list) and the audit trail all call this.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    meta = getattr(request, "META", {}) or {}
    proxies = int(getattr(settings, "PROXY_COUNT", 0) or 0)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= proxies:
            address = _valid(hops[-proxies])
            if address:
                return address
    return _valid(meta.get("REMOTE_ADDR"))
