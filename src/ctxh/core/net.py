"""The client's address, as far as it can be trusted."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address the request came from.

    Behind a reverse proxy every request comes from the proxy, so the proxy's
    header names the client (``CTXH_CLIENT_IP_HEADER``, e.g. ``HTTP_X_REAL_IP`` or
    ``HTTP_X_FORWARDED_FOR``). In a forwarded-for list only the last entry was
    written by our proxy; the ones before it are whatever the client sent, so
    they are ignored.
    """
    header = settings.CTXH_CLIENT_IP_HEADER
    if header:
        value = request.META.get(header, "")
        last = value.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")
