from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.static import serve

from sigap.lib.files import is_plain_path
from sigap.market.models import PUBLIC_MEDIA
from sigap.partners.models import Partner
from sigap.people.models import Person


@login_required
def home(request):
    user = request.user
    context = {
        "partner_count": Partner.objects.visible_to(user).active().count() if user.has_region_scope else None,
        "people_count": Person.objects.visible_to(user).count() if user.has_region_scope else None,
    }
    return render(request, "home.html", context)


def media(request, path):
    """The public catalogue's photos (a front server may serve /media/listings/ itself). Nothing else: a private
    upload (a training's handout, an inspection's photo) is served by a view of the record that owns it, after the
    user's scope found that record. A path not written the one plain way (``..``, ``//``, ``\\``, …) is 404."""
    if not (is_plain_path(path) and path.startswith(PUBLIC_MEDIA)):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


@never_cache
def healthz(request):
    """200 "ok" when the database answers, 503 when it does not. For load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
