"""The client's address behind a reverse proxy."""

from __future__ import annotations

from django.test import RequestFactory

from ctxh.core.net import client_ip


def test_without_a_proxy_the_socket_address_counts(settings):
    settings.CTXH_CLIENT_IP_HEADER = ""
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert client_ip(request) == "203.0.113.5"  # a header nobody vouches for is ignored


def test_behind_a_proxy_only_the_entry_it_wrote_counts(settings):
    settings.CTXH_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1",
                                   HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


def test_a_missing_header_falls_back_to_the_socket_address(settings):
    settings.CTXH_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
