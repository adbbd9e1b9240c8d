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

api = NinjaAPI(
    title="SIGAP API",
    version="1",
    description="Industry offices mobilising small industries (IKM) to produce protective equipment. "
                "Authenticate with `Authorization: Bearer <token>` (POST /api/v1/auth/token) or a signed-in session.",
    urls_namespace="api",
    auth=AUTH,
    throttle=[AnonRateThrottle(settings.SIGAP_API_ANON_RATE), AuthRateThrottle(settings.SIGAP_API_USER_RATE)],
)
errors.install(api)


def _routers():
    from sigap.api.tokens import router as tokens

    api.add_router("/auth", tokens)
    for path, module in [
        ("/regions", "sigap.regions.api"),
        ("/organisations", "sigap.organisations.api"),
        ("/partners", "sigap.partners.api"),
        ("/people", "sigap.people.api"),
        ("/items", "sigap.items.api"),
        ("/stock", "sigap.stock.api"),
        ("/production", "sigap.production.api"),
        ("/inspections", "sigap.quality.api"),
        ("/trainings", "sigap.trainings.api"),
        ("/handovers", "sigap.handovers.api"),
        ("/market", "sigap.market.api"),
        ("/dashboard", "sigap.dashboards.api"),
    ]:
        try:
            router = __import__(module, fromlist=["router"]).router
        except ModuleNotFoundError as error:
            if error.name != module:
                raise
            continue  # an app without API operations yet
        api.add_router(path, router)


_routers()
