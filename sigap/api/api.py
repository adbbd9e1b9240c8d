"""SIGAP's REST API at /api/v1/: the same services and scopes as the pages, as JSON.

Each app keeps its operations in its own ``api.py`` router; this module puts them together with the shared
authentication, throttling and error shape. The OpenAPI schema is at /api/v1/openapi.json and the docs at
/api/v1/docs (Swagger UI shipped with django-ninja, no CDN).
"""

from django.conf import settings
from ninja import NinjaAPI
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from sigap.api import errors
from sigap.api.auth import AUTH
from sigap.api.parser import JsonParser

api = NinjaAPI(
    title="SIGAP API",
    version="1",
    description="Industry offices mobilising small industries (IKM) to produce protective equipment. "
                "Authenticate with `Authorization: Bearer <token>` (POST /api/v1/auth/token) or a signed-in session.",
    urls_namespace="api",
    auth=AUTH,
    throttle=[AnonRateThrottle(settings.SIGAP_API_ANON_RATE), AuthRateThrottle(settings.SIGAP_API_USER_RATE)],
    parser=JsonParser(),
)
errors.install(api)


# Each app keeps its operations in its own api.py.
for prefix, router in [
    ("/auth", "sigap.api.tokens.router"),
    ("/regions", "sigap.regions.api.router"),
    ("/organisations", "sigap.organisations.api.router"),
    ("/partners", "sigap.partners.api.router"),
    ("/people", "sigap.people.api.router"),
    ("/items", "sigap.items.api.router"),
    ("/stock", "sigap.stock.api.router"),
    ("/production", "sigap.production.api.router"),
    ("/inspections", "sigap.quality.api.router"),
    ("/trainings", "sigap.trainings.api.router"),
    ("/handovers", "sigap.handovers.api.router"),
    ("/market", "sigap.market.api.router"),
    ("/dashboard", "sigap.dashboards.api.router"),
    ("/users", "sigap.accounts.api.router"),
]:
    api.add_router(prefix, router)
