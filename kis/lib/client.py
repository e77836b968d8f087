"""The client's address, the one function for the lock-out (django-axes), the access
log and the change log (django-auditlog).

Behind n reverse proxies (the variable AXES_PROXY_COUNT, setting KIS_PROXY_COUNT) each
proxy appends the address it received the request from to X-Forwarded-For, so the
client's real address is the entry at −n: entries to its left were sent by the client
and may be anything. Without proxies the header is ignored altogether and the peer's
address is used.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _ip(value: str) -> str | None:
    """`value` as a normalised IP address, or None if it is not one."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest | None) -> str | None:
    """The address of the client that sent `request` (None if unknown).

    With KIS_PROXY_COUNT = n > 0 this is the n-th X-Forwarded-For entry from the
    right, which the outermost of our proxies wrote; if the header has fewer entries
    (the request did not pass all the proxies) or the entry is not an address, the
    peer's address (REMOTE_ADDR) is used instead."""
    if request is None:
        return None
    peer = _ip(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.KIS_PROXY_COUNT
    if proxies <= 0:
        return peer
    entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(entries) < proxies:
        return peer
    return _ip(entries[-proxies]) or peer
