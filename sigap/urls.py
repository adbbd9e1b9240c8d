from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from sigap import views
from sigap.api.api import api
from sigap.handovers import views as handover_views

# SIGAP's own routes; url_patterns() adds Django's admin unless the operator left it out.
sigap_patterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/tokens/", include("sigap.api.urls")),
    path("accounts/", include("sigap.accounts.urls")),
    path("accounts/", include("sigap.twofactor.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("regions/", include("sigap.regions.urls")),
    path("organisations/", include("sigap.organisations.urls")),
    path("partners/", include("sigap.partners.urls")),
    path("people/", include("sigap.people.urls")),
    path("items/", include("sigap.items.urls")),
    path("stock/", include("sigap.stock.urls")),
    path("production/", include("sigap.production.urls")),
    path("quality/", include("sigap.quality.urls")),
    path("trainings/", include("sigap.trainings.urls")),
    path("handovers/", include("sigap.handovers.urls")),
    path("bast/<str:code>/", handover_views.verify, name="verify"),
    path("katalog/", include("sigap.market.urls")),
    path("dashboard/", include("sigap.dashboards.urls")),
    path("open-data/", include("sigap.opendata.urls")),
    path("api/v1/", api.urls),
    path("media/<path:path>", views.media, name="media"),
]


def url_patterns(*, with_admin: bool) -> list:
    """SIGAP's routes, and Django's admin at /admin/ unless SIGAP_ADMIN=0: then nothing of the admin is mounted
    and /admin/ is a 404 like any unknown address."""
    return sigap_patterns + ([path("admin/", admin.site.urls)] if with_admin else [])


urlpatterns = url_patterns(with_admin=settings.SIGAP_ADMIN)
