"""The address a request came from, for throttles and rate limits.

Behind N trusted proxies (SIGAP_NUM_PROXIES, e.g. 1 for nginx in front of gunicorn) the client is the N-th
address from the right of X-Forwarded-For: what the client itself wrote there is never trusted. Without proxies
it is REMOTE_ADDR, and X-Forwarded-For is ignored.
"""

from django.conf import settings


def client_address(request) -> str:
    proxies = settings.NINJA_NUM_PROXIES
    remote = request.META.get("REMOTE_ADDR", "")
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    chain = forwarded + [remote]
    # The last `proxies` entries are our proxies' own view; the one before them is the client they saw.
    return chain[-(proxies + 1)] if len(chain) > proxies else chain[0]
