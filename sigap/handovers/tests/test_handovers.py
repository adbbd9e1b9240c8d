"""Handovers (BAST) through their services: stock leaving the store, numbering, refusals, voiding, receipt,
agencies' requests and their allocation to partners as production orders."""

import datetime

import pytest
from django.utils import timezone

from sigap.accounts.models import Role, User
from sigap.handovers.models import (
    Handover, HandoverLine, NumberScheme, ProductionOrder, RequestLine, RequestStatus, Sequence, Status,
    SupplyRequest,
)
from sigap.handovers.services import (
    allocation_confirm, allocation_propose, handover_confirm_receipt, handover_create, handover_void,
    request_create, request_progress,
)
from sigap.lib.errors import DomainError
from sigap.organisations.models import Kind, Organisation
from sigap.partners.models import Partner, PartnerProduct
from sigap.stock.ledger import InsufficientStock, audit, on_hand
from sigap.stock.models import Movement, Posting
from sigap.stock.services import location_for_office, receipt_record

DAY = datetime.date(2020, 6, 15)
FIRST = "001/BAST/DISNAKERIND-TALA/VI/2020"


@pytest.fixture
def stocked(world):
    """Tala's store holds 100 hazmat suits and 300 masks, HSU's 1,000 masks; BPBD HSU has an agency user."""
    receipt_record(office=world.tala_office, supplier=world.province_office, date=datetime.date(2020, 6, 1),
                   lines=[(world.suit, 100), (world.mask, 300)], by=world.tala_officer)
    receipt_record(office=world.hsu_office, supplier=world.province_office, date=datetime.date(2020, 5, 1),
                   lines=[(world.mask, 1000)], by=world.hsu_officer)
    world.tala_store = location_for_office(world.tala_office)
    world.hsu_store = location_for_office(world.hsu_office)
    world.bpbd_hsu = Organisation.objects.create(
        name="Badan Penanggulangan Bencana Daerah Kabupaten Hulu Sungai Utara", code="BPBD-HSU",
        kind=Kind.DISASTER_AGENCY, region_id="63.08")
    world.bpbd_user = User.objects.create_user(username="bpbd_user", password="sandi-rahasia-1", role=Role.AGENCY,
                                               organisation=world.bpbd_hsu)
    return world


def hand_over(w, **changes):
    """Tala hands 50 suits to GTPP Tala on 15 June 2020, unless told otherwise."""
    fields = {
        "office": w.tala_office, "receiver": w.gtpp_tala, "giver_name": "Masturi", "giver_position": "Kepala Dinas",
        "receiver_name": "H. Dahnial Kifli", "receiver_position": "Sekretaris Daerah Kabupaten Tanah Laut",
        "purpose": "use", "handed_over_on": DAY, "place": "Pelaihari", "lines": [(w.suit, 50, None)],
        "by": w.tala_officer,
    }
    fields.update(changes)
    return handover_create(**fields)


def hsu_hand_over(w, **changes):
    return hand_over(w, **{"office": w.hsu_office, "receiver": w.bpbd_hsu, "giver_name": "H. M. Yani",
                           "giver_position": "Kepala Bidang Perindustrian", "receiver_name": "Muhammad Noor",
                           "receiver_position": "Kepala Pelaksana", "handed_over_on": datetime.date(2020, 5, 25),
                           "place": "Amuntai", "lines": [(w.mask, 500, None)], "by": w.hsu_officer, **changes})


def footprint():
    """Everything a refused handover must leave as it was, numbers included."""
    return (Handover.objects.count(), HandoverLine.objects.count(), Posting.objects.count(),
            Movement.objects.count(), sorted(Sequence.objects.values_list("office_id", "year", "last")))


# Handing over: the ledger and the numbers


def test_a_handover_takes_its_goods_out_of_the_office_store_through_the_ledger(stocked):
    w = stocked
    assert on_hand(w.suit, w.tala_store) == 100
    handover = hand_over(w, lines=[(w.suit, 50, None), (w.mask, 120, None)])
    assert on_hand(w.suit, w.tala_store) == 50 and on_hand(w.mask, w.tala_store) == 180
    assert on_hand(w.mask, w.hsu_store) == 1000
    posting = handover.posting
    assert posting.kind == "handover" and posting.document == handover and posting.note == handover.number
    assert sorted((m.item_id, m.location_id, int(m.quantity)) for m in posting.movements.all()) == sorted(
        [(w.suit.pk, w.tala_store.pk, -50), (w.mask.pk, w.tala_store.pk, -120)])
    assert [(line.product, line.quantity) for line in handover.lines.all()] == [(w.suit, 50), (w.mask, 120)]
    assert handover.status == Status.HANDED_OVER and handover.created_by == w.tala_officer
    assert audit() == []


def test_the_same_product_on_two_lines_leaves_the_store_once_in_total(stocked):
    w = stocked
    handover = hand_over(w, lines=[(w.suit, 30, None), (w.suit, 20, None)])
    assert on_hand(w.suit, w.tala_store) == 50
    assert handover.lines.count() == 2 and handover.posting.movements.count() == 1
    with pytest.raises(InsufficientStock):
        hand_over(w, lines=[(w.suit, 30, None), (w.suit, 21, None)])
    assert on_hand(w.suit, w.tala_store) == 50


def test_certificates_are_numbered_per_office_and_year_with_the_roman_month(stocked):
    w = stocked
    assert hand_over(w, lines=[(w.suit, 10, None)]).number == FIRST
    assert hand_over(w, lines=[(w.suit, 10, None)]).number == "002/BAST/DISNAKERIND-TALA/VI/2020"
    december = hand_over(w, lines=[(w.suit, 10, None)], handed_over_on=datetime.date(2020, 12, 1))
    assert december.number == "003/BAST/DISNAKERIND-TALA/XII/2020"
    assert hsu_hand_over(w).number == "001/BAST/DISPERINDAGKOP-UKM-HSU/V/2020"
    assert hand_over(w, lines=[(w.suit, 10, None)]).number == "004/BAST/DISNAKERIND-TALA/VI/2020"
    assert sorted(Sequence.objects.values_list("office__code", "year", "last")) == [
        ("DISNAKERIND-TALA", 2020, 4), ("DISPERINDAGKOP-UKM-HSU", 2020, 1)]


def test_a_new_year_restarts_the_sequence(stocked):
    w = stocked
    assert hand_over(w, lines=[(w.suit, 10, None)]).number == FIRST
    assert hand_over(w, lines=[(w.suit, 10, None)]).number == "002/BAST/DISNAKERIND-TALA/VI/2020"
    january = hand_over(w, lines=[(w.suit, 10, None)], handed_over_on=datetime.date(2021, 1, 4))
    assert january.number == "001/BAST/DISNAKERIND-TALA/I/2021"
    # A late entry for the earlier year continues that year's sequence.
    late = hand_over(w, lines=[(w.suit, 10, None)], handed_over_on=datetime.date(2020, 11, 30))
    assert late.number == "003/BAST/DISNAKERIND-TALA/XI/2020"


def test_an_offices_number_scheme_is_honoured(stocked):
    w = stocked
    NumberScheme.objects.create(office=w.tala_office, pattern="BAST-{office}/{year}/{month}/{seq:04d}")
    assert hand_over(w, lines=[(w.suit, 10, None)]).number == "BAST-DISNAKERIND-TALA/2020/VI/0001"
    assert hand_over(w, lines=[(w.suit, 10, None)]).number == "BAST-DISNAKERIND-TALA/2020/VI/0002"
    assert hsu_hand_over(w).number == "001/BAST/DISPERINDAGKOP-UKM-HSU/V/2020"  # others keep the default


def test_offices_sharing_a_pattern_without_the_office_code_never_collide(stocked):
    w = stocked
    for office in (w.tala_office, w.hsu_office):
        NumberScheme.objects.create(office=office, pattern="{seq:03d}/BAST/{month}/{year}")
    first = hand_over(w, lines=[(w.suit, 10, None)])
    try:
        second = hsu_hand_over(w, handed_over_on=DAY)
    except DomainError:
        return
    assert second.number != first.number


# Refusals write nothing and use no number

REFUSALS = {
    "receiver of kind other": (lambda w: {"receiver": Organisation.objects.create(
        name="Yayasan Peduli Tala", code="YAYASAN-PEDULI", kind=Kind.OTHER, region_id="63.01")},
        "task force", "receiver"),
    "receiver is the giving office": (lambda w: {"receiver": w.tala_office}, "to itself", "receiver"),
    "a date in the future": (lambda w: {"handed_over_on": timezone.localdate() + datetime.timedelta(days=1)},
                             "future", "handed_over_on"),
    "no receiver's signatory": (lambda w: {"receiver_name": "   "}, "signatories", "receiver_name"),
    "no giver's signatory": (lambda w: {"giver_name": ""}, "signatories", "giver_name"),
    "no giver's position": (lambda w: {"giver_position": " "}, "signatories", "giver_position"),
    "no place": (lambda w: {"place": ""}, "place", "place"),
    "a NIP of 17 digits": (lambda w: {"giver_nip": "19650101199003100"}, "18 digits", "giver_nip"),
    "a NIP of 19 digits": (lambda w: {"receiver_nip": "1965010119900310011"}, "18 digits", "receiver_nip"),
    "a NIP with a letter": (lambda w: {"receiver_nip": "19650101199003100A"}, "18 digits", "receiver_nip"),
    "a NIP with spaces": (lambda w: {"giver_nip": "19650101 199003 1 001"}, "18 digits", "giver_nip"),
    "another district's officer": (lambda w: {"by": w.hsu_officer}, "your region", "office"),
    "an officer of another province": (lambda w: {"by": w.outsider}, "your region", "office"),
    "an agency user": (lambda w: {"by": w.agency_user}, "Only industry office staff", None),
    "a partner user": (lambda w: {"by": w.partner_user}, "Only industry office staff", None),
    "an instructor": (lambda w: {"by": w.instructor}, "Only industry office staff", None),
    "a health expert": (lambda w: {"by": w.health_expert}, "Only industry office staff", None),
    "no lines": (lambda w: {"lines": []}, "at least one line", None),
    "a raw material": (lambda w: {"lines": [(w.fabric, 1, None)]}, "raw material", None),
    "a zero quantity": (lambda w: {"lines": [(w.suit, 0, None)]}, "more than zero", None),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refused_handover_writes_nothing_and_uses_no_number(stocked, case):
    w = stocked
    changes, message, field = REFUSALS[case]
    changes = changes(w)
    before = footprint()
    with pytest.raises(DomainError, match=message) as refusal:
        hand_over(w, **changes)
    assert refusal.value.field == field
    assert footprint() == before
    assert on_hand(w.suit, w.tala_store) == 100
    assert hand_over(w).number == FIRST


def test_a_nip_of_18_digits_is_accepted_for_both_signatories(stocked):
    w = stocked
    handover = hand_over(w, giver_nip="196501011990031001", receiver_nip="197203151998032004")
    assert (handover.giver_nip, handover.receiver_nip) == ("196501011990031001", "197203151998032004")


def test_more_than_the_store_holds_is_refused_whole_and_the_next_handover_still_gets_001(stocked):
    w = stocked
    before = footprint()
    with pytest.raises(InsufficientStock) as refusal:
        hand_over(w, lines=[(w.mask, 100, None), (w.suit, 101, None)])
    assert [(s.item, int(s.available), int(s.requested)) for s in refusal.value.shortfalls] == [(w.suit, 100, 101)]
    assert "Baju hazmat" in refusal.value.message
    assert footprint() == before and not Sequence.objects.exists()
    assert on_hand(w.suit, w.tala_store) == 100 and on_hand(w.mask, w.tala_store) == 300
    assert hand_over(w, lines=[(w.suit, 100, None)]).number == FIRST
    assert on_hand(w.suit, w.tala_store) == 0


def test_goods_of_another_offices_store_cannot_be_handed_over(stocked):
    w = stocked
    with pytest.raises(InsufficientStock):  # the masks are in HSU's store, Tala holds 300
        hand_over(w, lines=[(w.mask, 301, None)])
    assert on_hand(w.mask, w.hsu_store) == 1000


# Voiding


def test_voiding_puts_the_goods_back_and_the_number_stays_used(stocked):
    w = stocked
    handover = hand_over(w)
    assert on_hand(w.suit, w.tala_store) == 50
    handover_void(handover=handover, by=w.tala_officer, reason="Salah penerima")
    handover.refresh_from_db()
    assert handover.status == Status.VOID and handover.void_reason == "Salah penerima"
    assert on_hand(w.suit, w.tala_store) == 100
    assert handover.voided_posting.reverses == handover.posting
    assert handover.voided_posting.kind == "reversal" and handover.voided_posting.document == handover
    assert audit() == []
    after = hand_over(w)
    assert after.number == "002/BAST/DISNAKERIND-TALA/VI/2020"
    assert Handover.objects.get(number=FIRST) == handover


def test_a_province_officer_may_void_a_districts_handover(stocked):
    w = stocked
    handover = hand_over(w)
    handover_void(handover=handover, by=w.province_officer, reason="Dobel input")
    assert Handover.objects.get(pk=handover.pk).status == Status.VOID


def test_voiding_twice_is_refused_and_reverses_nothing_more(stocked):
    w = stocked
    handover = hand_over(w)
    handover_void(handover=handover, by=w.tala_officer, reason="Salah penerima")
    postings = Posting.objects.count()
    with pytest.raises(DomainError, match="already void"):
        handover_void(handover=handover, by=w.tala_officer, reason="Sekali lagi")
    assert Posting.objects.count() == postings and on_hand(w.suit, w.tala_store) == 100
    assert Handover.objects.get(pk=handover.pk).void_reason == "Salah penerima"


@pytest.mark.parametrize("who, reason, message", [
    ("tala_officer", "  ", "reason"),
    ("hsu_officer", "Salah", "your region"),
    ("outsider", "Salah", "your region"),
    ("agency_user", "Salah", "Only industry office staff"),
    ("partner_user", "Salah", "Only industry office staff"),
])
def test_a_void_needs_a_reason_and_an_officer_of_the_giving_offices_region(stocked, who, reason, message):
    w = stocked
    handover = hand_over(w)
    before = footprint()
    with pytest.raises(DomainError, match=message):
        handover_void(handover=handover, by=getattr(w, who), reason=reason)
    assert footprint() == before and on_hand(w.suit, w.tala_store) == 50
    assert Handover.objects.get(pk=handover.pk).status == Status.HANDED_OVER


# Receipt by the receiving agency


@pytest.fixture
def two_lines(stocked):
    w = stocked
    w.handover = hand_over(w, lines=[(w.suit, 50, None), (w.mask, 100, None)])
    w.suit_line, w.mask_line = w.handover.lines.order_by("pk")
    return w


def test_the_receiving_agency_confirms_what_arrived(two_lines):
    w = two_lines
    handover = handover_confirm_receipt(handover=w.handover, by=w.agency_user,
                                        received={w.suit_line.pk: 48, w.mask_line.pk: 0}, note=" 2 sobek ")
    handover.refresh_from_db()
    assert handover.status == Status.RECEIVED and handover.received_by == w.agency_user
    assert handover.received_at is not None and handover.received_note == "2 sobek"
    assert list(handover.lines.order_by("pk").values_list("quantity", "received_quantity")) == [(50, 48), (100, 0)]
    assert on_hand(w.suit, w.tala_store) == 50  # receipt moves no stock


def test_all_handed_over_may_be_confirmed(two_lines):
    w = two_lines
    handover_confirm_receipt(handover=w.handover, by=w.agency_user,
                             received={w.suit_line.pk: 50, w.mask_line.pk: 100})
    assert Handover.objects.get(pk=w.handover.pk).status == Status.RECEIVED


@pytest.mark.parametrize("who", ["tala_officer", "province_officer", "admin", "bpbd_user", "partner_user",
                                 "health_expert"])
def test_only_an_agency_user_of_the_receiving_organisation_confirms_receipt(two_lines, who):
    w = two_lines
    with pytest.raises(DomainError, match="Only the receiving organisation"):
        handover_confirm_receipt(handover=w.handover, by=getattr(w, who),
                                 received={w.suit_line.pk: 50, w.mask_line.pk: 100})
    handover = Handover.objects.get(pk=w.handover.pk)
    assert handover.status == Status.HANDED_OVER and handover.received_by is None
    assert not HandoverLine.objects.filter(received_quantity__isnull=False).exists()


@pytest.mark.parametrize("suit, mask, message", [
    (-1, 100, "between 0 and the 50"),
    (51, 100, "between 0 and the 50"),
    (50, 101, "between 0 and the 100"),
    (50, None, "every line"),
])
def test_received_quantities_lie_between_zero_and_what_was_handed_over(two_lines, suit, mask, message):
    w = two_lines
    received = {w.suit_line.pk: suit}
    if mask is not None:
        received[w.mask_line.pk] = mask
    with pytest.raises(DomainError, match=message):
        handover_confirm_receipt(handover=w.handover, by=w.agency_user, received=received)
    assert Handover.objects.get(pk=w.handover.pk).status == Status.HANDED_OVER
    assert not HandoverLine.objects.filter(received_quantity__isnull=False).exists()


def test_a_line_of_another_handover_is_not_accepted_in_a_receipt(two_lines):
    w = two_lines
    other = hand_over(w, lines=[(w.suit, 1, None)])
    with pytest.raises(DomainError, match="every line"):
        handover_confirm_receipt(handover=w.handover, by=w.agency_user,
                                 received={w.suit_line.pk: 50, other.lines.get().pk: 1})
    assert not HandoverLine.objects.filter(received_quantity__isnull=False).exists()


def test_receipt_is_confirmed_only_once(two_lines):
    w = two_lines
    handover_confirm_receipt(handover=w.handover, by=w.agency_user, received={w.suit_line.pk: 50, w.mask_line.pk: 90})
    first = Handover.objects.get(pk=w.handover.pk)
    with pytest.raises(DomainError, match="already confirmed"):
        handover_confirm_receipt(handover=w.handover, by=w.agency_user,
                                 received={w.suit_line.pk: 10, w.mask_line.pk: 10}, note="ralat")
    again = Handover.objects.get(pk=w.handover.pk)
    assert (again.received_at, again.received_note) == (first.received_at, first.received_note)
    assert list(again.lines.order_by("pk").values_list("received_quantity", flat=True)) == [50, 90]


def test_a_void_handover_cannot_be_confirmed(two_lines):
    w = two_lines
    handover_void(handover=w.handover, by=w.tala_officer, reason="Salah penerima")
    with pytest.raises(DomainError, match="void"):
        handover_confirm_receipt(handover=w.handover, by=w.agency_user,
                                 received={w.suit_line.pk: 50, w.mask_line.pk: 100})
    handover = Handover.objects.get(pk=w.handover.pk)
    assert handover.status == Status.VOID and handover.received_at is None


# Requests from agencies


def needed_by(days=14):
    return timezone.localdate() + datetime.timedelta(days=days)


def test_an_agency_user_requests_for_its_own_organisation(stocked):
    w = stocked
    request = request_create(agency=w.gtpp_tala, office=w.tala_office, needed_by=needed_by(),
                             lines=[(w.suit, 80), (w.mask, 100)], by=w.agency_user, note="Untuk posko")
    assert request.status == RequestStatus.OPEN and request.created_by == w.agency_user
    assert list(request.lines.values_list("product", "quantity")) == [(w.suit.pk, 80), (w.mask.pk, 100)]
    assert list(SupplyRequest.objects.visible_to(w.agency_user)) == [request]
    assert list(SupplyRequest.objects.visible_to(w.bpbd_user)) == []


@pytest.mark.parametrize("case, message", [
    ("another agency", "own organisation"),
    ("an industry office as agency", "own organisation"),
    ("a date in the past", "past"),
    ("a raw material", "Each line"),
    ("a product twice", "Each line"),
    ("no lines", "at least one line"),
    ("an agency as the office asked", "industry office"),
])
def test_a_bad_request_is_refused_and_writes_nothing(stocked, case, message):
    w = stocked
    fields = {"agency": w.gtpp_tala, "office": w.tala_office, "needed_by": needed_by(), "lines": [(w.suit, 80)],
              "by": w.agency_user}
    fields.update({
        "another agency": {"agency": w.bpbd_hsu},
        "an industry office as agency": {"agency": w.tala_office},
        "a date in the past": {"needed_by": needed_by(-1)},
        "a raw material": {"lines": [(w.fabric, 5)]},
        "a product twice": {"lines": [(w.suit, 5), (w.suit, 6)]},
        "no lines": {"lines": []},
        "an agency as the office asked": {"office": w.bpbd_hsu},
    }[case])
    with pytest.raises(DomainError, match=message):
        request_create(**fields)
    assert not SupplyRequest.objects.exists() and not RequestLine.objects.exists()


def test_only_officers_and_agency_users_record_requests(stocked):
    w = stocked
    for who in ("partner_user", "instructor", "health_expert"):
        with pytest.raises(DomainError, match="cannot record a request"):
            request_create(agency=w.gtpp_tala, office=w.tala_office, needed_by=needed_by(),
                           lines=[(w.suit, 1)], by=getattr(w, who))
    with pytest.raises(DomainError, match="cannot record a request"):  # an officer outside the agency's region
        request_create(agency=w.gtpp_tala, office=w.tala_office, needed_by=needed_by(), lines=[(w.suit, 1)],
                       by=w.hsu_officer)
    on_behalf = request_create(agency=w.gtpp_tala, office=w.tala_office, needed_by=needed_by(),
                               lines=[(w.suit, 1)], by=w.tala_officer)
    assert list(SupplyRequest.objects.all()) == [on_behalf]


def progress(request):
    return {p.line.product.code: (p.handed_over, p.owed) for p in request_progress(request)}


def test_progress_follows_the_handovers_linked_to_the_request_and_voiding_reopens_it(stocked):
    w = stocked
    today = timezone.localdate()
    request = request_create(agency=w.gtpp_tala, office=w.tala_office, needed_by=needed_by(),
                             lines=[(w.suit, 80), (w.mask, 100)], by=w.agency_user)
    assert progress(request) == {"baju-hazmat": (0, 80), "masker-kain-3-lapis": (0, 100)}

    first = hand_over(w, handed_over_on=today, request=request, lines=[(w.suit, 50, None)])
    hand_over(w, handed_over_on=today, lines=[(w.suit, 10, None)])  # not for the request: it does not count
    assert progress(request) == {"baju-hazmat": (50, 30), "masker-kain-3-lapis": (0, 100)}
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN

    hand_over(w, handed_over_on=today, request=request, lines=[(w.suit, 30, None), (w.mask, 100, None)])
    assert progress(request) == {"baju-hazmat": (80, 0), "masker-kain-3-lapis": (100, 0)}
    request.refresh_from_db()
    assert request.status == RequestStatus.FULFILLED

    before = footprint()
    with pytest.raises(DomainError, match="not an open request"):
        hand_over(w, handed_over_on=today, request=request, lines=[(w.suit, 1, None)])
    assert footprint() == before

    handover_void(handover=first, by=w.tala_officer, reason="Salah catat")
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    assert progress(request) == {"baju-hazmat": (30, 50), "masker-kain-3-lapis": (100, 0)}


def test_a_handover_fulfils_only_an_open_request_of_its_receiver(stocked):
    w = stocked
    request = request_create(agency=w.gtpp_tala, office=w.tala_office, needed_by=needed_by(),
                             lines=[(w.suit, 80)], by=w.agency_user)
    before = footprint()
    with pytest.raises(DomainError, match="not an open request of this receiver"):
        hand_over(w, receiver=w.province_office, request=request)
    assert footprint() == before and progress(request) == {"baju-hazmat": (0, 80)}


# Allocating what stock cannot cover to partners


@pytest.fixture
def allocating(stocked):
    """RSUD Boejasin (in Pelaihari, 63.01.03) asks Tala for 300 suits in 14 days; Tala holds 100. Tuntung Pandang
    (Pelaihari, 40 suits a week) is nearest; Bina Usaha (Bati-Bati, 63.01.05, 20 a week) is in the same regency."""
    w = stocked
    w.rsud = Organisation.objects.create(name="RSUD H. Boejasin Pelaihari", code="RSUD-BOEJASIN",
                                         kind=Kind.HEALTH_FACILITY, region_id="63.01.03")
    w.bati_partner = Partner.objects.create(
        name="Penjahit Bina Usaha Bati-Bati", nib="9120001230002", owner_name="Suriansyah", address="Jl. Bati-Bati",
        region_id="63.01.05.2002", sector="garment", assisting_office=w.tala_office,
        joined_on=datetime.date(2019, 5, 1))
    PartnerProduct.objects.create(partner=w.bati_partner, item=w.suit, weekly_capacity=20)
    w.request = request_create(agency=w.rsud, office=w.tala_office, needed_by=needed_by(14),
                               lines=[(w.suit, 300)], by=w.tala_officer)
    return w


def shares(proposal):
    return {share.key: share.quantity for share in proposal.shares}


def test_the_proposal_covers_the_shortfall_nearest_partners_first_within_capacity(allocating):
    w = allocating
    shortfall, proposal = allocation_propose(request=w.request, product=w.suit, as_of=timezone.localdate())
    assert shortfall == 200  # 300 owed, 100 on hand
    assert shares(proposal) == {w.tala_partner: 80, w.bati_partner: 40}  # two weeks at 40 and at 20 a week
    assert [s.tier for s in proposal.shares] == [0, 1]
    assert proposal.unallocated == 80 and proposal.allocated == 120
    assert proposal.days_needed == 14


def test_a_small_shortfall_goes_to_the_nearest_partner_only(allocating):
    w = allocating
    small = request_create(agency=w.rsud, office=w.tala_office, needed_by=needed_by(14), lines=[(w.suit, 130)],
                           by=w.tala_officer)
    shortfall, proposal = allocation_propose(request=small, product=w.suit, as_of=timezone.localdate())
    assert shortfall == 30 and shares(proposal) == {w.tala_partner: 30} and proposal.unallocated == 0


def test_confirming_the_proposal_creates_production_orders_within_capacity(allocating):
    w = allocating
    _shortfall, proposal = allocation_propose(request=w.request, product=w.suit, as_of=timezone.localdate())
    orders = allocation_confirm(request=w.request, product=w.suit, quantities=shares(proposal),
                                due_on=w.request.needed_by, by=w.tala_officer)
    assert sorted((o.partner.name, o.quantity) for o in ProductionOrder.objects.all()) == [
        ("Konveksi Tuntung Pandang", 80), ("Penjahit Bina Usaha Bati-Bati", 40)]
    assert len(orders) == 2
    for order in ProductionOrder.objects.select_related("partner"):
        assert order.due_on == w.request.needed_by and order.request == w.request and order.product == w.suit
        assert order.created_by == w.tala_officer
        weekly = order.partner.capabilities.get(item=w.suit).weekly_capacity
        assert order.quantity <= weekly * (order.due_on - timezone.localdate()).days / 7
    assert list(ProductionOrder.objects.visible_to(w.partner_user)) == [
        ProductionOrder.objects.get(partner=w.tala_partner)]
    shortfall, _proposal = allocation_propose(request=w.request, product=w.suit, as_of=timezone.localdate())
    assert shortfall == 80  # what is ordered no longer counts as short


@pytest.mark.parametrize("quantities, due_in, message", [
    ({"tala_partner": 81}, 14, "at most 80"),
    ({"tala_partner": 41}, 7, "at most 40"),
    ({"bati_partner": 41}, 14, "at most 40"),
    ({"tala_partner": 10, "hsu_partner": 1}, 14, "Sasirangan Amuntai Indah is not an active partner"),  # HSU, no suits
    ({"tala_partner": -5}, 14, "negative"),
    ({"tala_partner": 10}, -1, "past"),
])
def test_an_allocation_beyond_capacity_or_the_shortfall_is_refused_whole(allocating, quantities, due_in, message):
    w = allocating
    with pytest.raises(DomainError, match=message):
        allocation_confirm(request=w.request, product=w.suit,
                           quantities={getattr(w, name): q for name, q in quantities.items()},
                           due_on=needed_by(due_in), by=w.tala_officer)
    assert not ProductionOrder.objects.exists()


def test_more_than_the_shortfall_is_refused(allocating):
    w = allocating
    small = request_create(agency=w.rsud, office=w.tala_office, needed_by=needed_by(14), lines=[(w.suit, 130)],
                           by=w.tala_officer)
    with pytest.raises(DomainError, match="more than the 30 still needed"):
        allocation_confirm(request=small, product=w.suit, quantities={w.tala_partner: 20, w.bati_partner: 11},
                           due_on=small.needed_by, by=w.tala_officer)
    assert not ProductionOrder.objects.exists()


def test_only_an_officer_of_the_offices_region_allocates_an_open_request(allocating):
    w = allocating
    for who in ("hsu_officer", "agency_user", "partner_user"):
        with pytest.raises(DomainError):
            allocation_confirm(request=w.request, product=w.suit, quantities={w.tala_partner: 10},
                               due_on=w.request.needed_by, by=getattr(w, who))
    w.request.status = RequestStatus.CANCELLED
    w.request.save()
    with pytest.raises(DomainError, match="not open"):
        allocation_confirm(request=w.request, product=w.suit, quantities={w.tala_partner: 10},
                           due_on=w.request.needed_by, by=w.tala_officer)
    assert not ProductionOrder.objects.exists()


def test_successive_confirmations_never_push_a_partner_past_its_capacity(allocating):
    w = allocating
    allocation_confirm(request=w.request, product=w.suit, quantities={w.tala_partner: 80},
                       due_on=w.request.needed_by, by=w.tala_officer)
    try:
        allocation_confirm(request=w.request, product=w.suit, quantities={w.tala_partner: 80},
                           due_on=w.request.needed_by, by=w.tala_officer)
    except DomainError:
        pass
    ordered = sum(ProductionOrder.objects.filter(partner=w.tala_partner).values_list("quantity", flat=True))
    assert ordered <= 80


def test_a_proposal_counts_the_capacity_already_taken_by_orders(allocating):
    w = allocating
    allocation_confirm(request=w.request, product=w.suit, quantities={w.tala_partner: 80},
                       due_on=w.request.needed_by, by=w.tala_officer)
    _shortfall, proposal = allocation_propose(request=w.request, product=w.suit, as_of=timezone.localdate())
    assert shares(proposal).get(w.tala_partner, 0) == 0


def test_orders_go_only_to_partners_of_the_offices_region(allocating):
    w = allocating
    PartnerProduct.objects.create(partner=w.hsu_partner, item=w.suit, weekly_capacity=100)
    try:
        allocation_confirm(request=w.request, product=w.suit, quantities={w.hsu_partner: 50},
                           due_on=w.request.needed_by, by=w.tala_officer)
    except DomainError:
        pass
    assert not ProductionOrder.objects.filter(partner=w.hsu_partner).exists()


@pytest.mark.parametrize("pattern, valid", [
    ("{seq:03d}/BAST/{office}/{month}/{year}", True),
    ("BAST-{office}-{year}-{seq}", True),
    ("{seq:03d}/BAST/{month}/{year}", False),  # no office: two offices would share numbers
    ("{seq:03d}/BAST/{office}", False),  # no year: numbers repeat when the sequence restarts
    ("{seq}/{nonsense}/{office}/{year}", False),
])
def test_a_number_pattern_must_make_numbers_nobody_else_can_repeat(world, pattern, valid):
    from django.core.exceptions import ValidationError

    scheme = NumberScheme(office=world.tala_office, pattern=pattern)
    if valid:
        scheme.full_clean()
    else:
        with pytest.raises(ValidationError):
            scheme.full_clean()
