from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.static import serve

from sigap.accounts.access import may_inspect, may_run_trainings
from sigap.handovers.models import Handover, ProductionOrder, SupplyRequest
from sigap.lib.files import is_plain_path
from sigap.lib.phone import whatsapp_link
from sigap.market.models import PUBLIC_MEDIA, Inquiry, Listing
from sigap.partners.models import Partner
from sigap.people.models import Person
from sigap.production.models import Batch
from sigap.trainings.models import Training
from sigap.twofactor.views import PENDING


def home(request):
    """What waits for the signed-in user, by role, each count linking to the list it counts; a visitor gets the
    public catalogue and the open data, with the way to sign in."""
    if not request.user.is_authenticated:
        if PENDING in request.session:  # the password was right, the two-factor code is still owed: back to it
            return redirect_to_login(request.get_full_path())
        return render(request, "home_public.html", {"listings": list(
            Listing.objects.published().select_related("partner").order_by("-updated_at", "-pk")[:6])})
    return render(request, "home.html", waiting_for(request.user, today=timezone.localdate()))


def waiting_for(user, *, today) -> dict:
    """The home page's cards: (count, label, address) for the work waiting for this user's role, in a fixed number
    of queries (one per card, two for trainings behind target, one for a partner's newest questions)."""
    cards = []

    def card(count, label, url):
        cards.append({"count": count, "label": label, "url": url})

    inquiries = []
    if user.is_officer or may_inspect(user):
        card(Batch.objects.visible_to(user).awaiting_inspection().count(),
             _("batches awaiting inspection") if user.is_officer else _("batches to inspect"),
             reverse("quality:worklist"))
    if user.is_officer:
        card(Handover.objects.visible_to(user).awaiting_receipt().count(), _("handovers awaiting receipt"),
             reverse("handovers:list") + "?status=handed_over")
        card(SupplyRequest.objects.visible_to(user).open().count(), _("requests still owed"),
             reverse("handovers:request-list") + "?status=open")
    if may_run_trainings(user) and user.has_region_scope:
        card(Training.objects.visible_to(user).behind_target(on=today).count(), _("trainings behind target"),
             reverse("trainings:list") + "?behind=1")
    if user.role == "partner" and user.partner_id:
        unanswered = Inquiry.objects.visible_to(user).unanswered()
        inquiries = list(unanswered.select_related("listing").order_by("-created_at")[:5])
        card(len(inquiries) if len(inquiries) < 5 else unanswered.count(), _("new questions from buyers"),
             reverse("market:inquiries") + "?status=new")
        card(ProductionOrder.objects.visible_to(user).due_from(today).count(), _("production orders to deliver"),
             reverse("handovers:orders"))
        card(Listing.objects.visible_to(user).taken_down().count(), _("listings taken down"),
             reverse("market:my-listings") + "?taken_down=1")
    if user.role == "agency" and user.organisation_id:
        card(Handover.objects.visible_to(user).awaiting_receipt().count(), _("handovers to confirm"),
             reverse("handovers:list") + "?status=handed_over")
    if user.has_region_scope:
        card(Partner.objects.visible_to(user).active().count(), _("active IKM partners"), reverse("partners:list"))
        card(Person.objects.visible_to(user).count(), _("people registered"), reverse("people:list"))
    for inquiry in inquiries:
        inquiry.whatsapp = whatsapp_link(inquiry.phone, _("Hello %(name)s, about %(title)s in the SIGAP catalogue:") % {
            "name": inquiry.name, "title": inquiry.listing.title})
    return {"cards": cards, "inquiries": inquiries}


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
