"""Demo handovers: Tala's 100 hazmat suits (50 to GTPP Covid-19 Tala, received by the district secretary;
50 to the provincial industry office for evaluation), HSU's 500 masks to BPBD HSU, and one open request from a
hospital with its allocation to partners."""

import datetime

from django.utils import timezone

from sigap.accounts.models import User
from sigap.handovers.models import Handover
from sigap.handovers.services import allocation_confirm, allocation_propose, handover_create, request_create
from sigap.items.models import Item
from sigap.organisations.models import Organisation
from sigap.production.models import Batch
from sigap.stock.ledger import on_hand
from sigap.stock.services import location_for, transfer_record


def load_handovers() -> None:
    tala = Organisation.objects.get(code="DISNAKERIND-TALA")
    if Handover.objects.filter(office=tala).exists():
        return
    orgs = {o.code: o for o in Organisation.objects.all()}
    items = {i.code: i for i in Item.objects.all()}
    tala_officer, hsu_officer = User.objects.get(username="tala"), User.objects.get(username="hsu")
    suit, mask = items["baju-hazmat"], items["masker-kain-3-lapis"]
    june_15 = datetime.date(2020, 6, 15)
    giver = {"giver_name": "Masturi", "giver_position": "Kepala Dinas"}
    handover_create(office=tala, receiver=orgs["GTPP-COVID19-TALA"], receiver_name="H. Dahnial Kifli",
                    receiver_position="Sekretaris Daerah Kabupaten Tanah Laut", purpose="use",
                    handed_over_on=june_15, place="Pelaihari", lines=[(suit, 50, None)], by=tala_officer, **giver)
    handover_create(office=tala, receiver=orgs["DISPERIN-KALSEL"], receiver_name="H. Mahyuni",
                    receiver_position="Kepala Dinas Perindustrian Provinsi Kalimantan Selatan", purpose="evaluation",
                    handed_over_on=june_15, place="Pelaihari", lines=[(suit, 50, None)], by=tala_officer, **giver)

    hsu = orgs["DISPERINDAGKOP-UKM-HSU"]
    store = location_for(hsu)
    homes = {b.location for b in Batch.objects.filter(training__office=hsu, product=mask).select_related("location")}
    for home in sorted(homes, key=lambda h: h.name):
        transfer_record(office=hsu, source=home, destination=store, date=datetime.date(2020, 5, 22),
                        lines=[(mask, on_hand(mask, home))], by=hsu_officer,
                        note="Masker hasil Bimtek daring dikumpulkan di gudang dinas")
    handover_create(office=hsu, receiver=orgs["BPBD-HSU"], receiver_name="Muhammad Noor",
                    receiver_position="Kepala Pelaksana BPBD Kabupaten Hulu Sungai Utara", purpose="distribution",
                    handed_over_on=datetime.date(2020, 5, 25), place="Amuntai", lines=[(mask, 500, None)],
                    by=hsu_officer, giver_name="H. M. Yani", giver_position="Kepala Bidang Perindustrian")

    # A live request, dated from today, so the allocation can be tried in the demo.
    today = timezone.localdate()
    request = request_create(agency=orgs["RSUD-BOEJASIN"], office=tala, needed_by=today + datetime.timedelta(days=14),
                             lines=[(mask, 1000), (items["face-shield"], 300)], by=tala_officer,
                             note="Kebutuhan APD ruang isolasi")
    _shortfall, proposal = allocation_propose(request=request, product=mask, as_of=today)
    allocation_confirm(request=request, product=mask, quantities={s.key: s.quantity for s in proposal.shares},
                       due_on=request.needed_by, by=tala_officer)
