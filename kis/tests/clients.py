"""Test clients that reach the app the way production requests do."""

from django.test import Client


def https_client(**kwargs) -> Client:
    """A client whose requests come through the proxy over HTTPS, as nginx passes them on
    in production (X-Forwarded-Proto, SECURE_PROXY_SSL_HEADER): the HTTPS redirect lets
    them through and secure cookies apply."""
    return Client(headers={"X-Forwarded-Proto": "https"}, **kwargs)
