from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

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
