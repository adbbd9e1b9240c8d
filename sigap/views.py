from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.static import serve

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
    """Uploaded files. Catalogue photos are public; everything else (inspection photos, training handouts)
    is for signed-in users. A front server may serve /media/listings/ itself."""
    if not path.startswith("listings/") and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
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
