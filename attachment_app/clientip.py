"""The address a request really came from, read one way everywhere.

X-Forwarded-For is believed only from a connection that comes from one of
TRUSTED_PROXIES (addresses or networks): anyone else who reaches the app
directly could write their own. Behind PROXY_COUNT trusted proxies, each one
appends the address it saw, so the client is the PROXY_COUNT-th entry from
the right, and every entry to its right must be a trusted proxy too; anything
further left was written by the client. Otherwise the connection's own
address counts. Axes (lockout), allauth (rate limits, session list) and the
audit trail all call this.
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _valid(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


@cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _trusted(address: str | None) -> bool:
    if not address:
        return False
    ip = ipaddress.ip_address(address)
    entries = tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ())
    return any(ip in network for network in _networks(entries))


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    meta = getattr(request, "META", {}) or {}
    remote = _valid(meta.get("REMOTE_ADDR"))
    proxies = int(getattr(settings, "PROXY_COUNT", 0) or 0)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded and _trusted(remote):
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= proxies:
            client, *inner_proxies = hops[-proxies:]
            address = _valid(client)
            if address and all(_trusted(_valid(hop)) for hop in inner_proxies):
                return address
    return remote
