from django.core.management import call_command

from sigap.accounts.models import User
from sigap.demo.data import DEMO_PASSWORD, USERS, load_demo
from sigap.organisations.models import Organisation
from sigap.partners.models import Partner
from sigap.people.forms import check_nik
from sigap.people.models import Person


def test_the_demo_loads_twice_without_duplicates(db, capsys):
    call_command("load_demo")
    counts = (Organisation.objects.count(), Partner.objects.count(), Person.objects.count(), User.objects.count())
    call_command("load_demo")
    assert (Organisation.objects.count(), Partner.objects.count(), Person.objects.count(),
            User.objects.count()) == counts
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "tala" in out


def test_the_demo_has_one_user_per_role_who_can_sign_in(db):
    load_demo()
    roles = {u.role for u in User.objects.all()}
    assert len(roles) == 7
    for username, *_ in USERS:
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)


def test_the_demo_has_hsu_s_500_masks_handed_to_bpbd(db):
    from sigap.handovers.models import HandoverLine

    load_demo()
    (line,) = HandoverLine.objects.filter(handover__receiver__code="BPBD-HSU")
    assert (line.product.code, line.quantity, line.handover.purpose) == ("masker-kain-3-lapis", 500, "distribution")


def test_the_demo_offices_of_the_reports(db):
    load_demo()
    assert Organisation.objects.get(code="DISNAKERIND-TALA").head_name == "Masturi"
    assert Organisation.objects.get(code="DISPERIN-KALSEL").head_name == "H. Mahyuni"
    assert Organisation.objects.get(code="GTPP-COVID19-TALA").head_name == "H. Dahnial Kifli"
    assert Partner.objects.in_region("63.01").count() == 4
    assert Partner.objects.in_region("63.08").count() == 3


def test_the_demo_niks_are_valid(db):
    load_demo()
    for person in Person.objects.all():
        assert check_nik(person.nik, birth_date=person.birth_date, sex=person.sex) == [], person.name


def test_the_demo_has_tala_s_100_inspected_hazmat_suits_split_50_to_gtpp_and_50_to_the_province(db):
    from django.db.models import Sum

    from sigap.demo.stock import tala_suits_in_store
    from sigap.handovers.models import HandoverLine
    from sigap.production.models import Batch
    from sigap.quality.models import Inspection
    from sigap.stock.ledger import audit
    from sigap.stock.models import Movement

    load_demo()
    load_demo()
    into_store = Movement.objects.filter(posting__kind="transfer", item__code="baju-hazmat", quantity__gt=0,
                                         location__organisation__code="DISNAKERIND-TALA")
    assert into_store.aggregate(total=Sum("quantity"))["total"] == 100
    handed = {line.handover.receiver.code: line.quantity for line in HandoverLine.objects.filter(
        product__code="baju-hazmat").select_related("handover__receiver")}
    assert handed == {"GTPP-COVID19-TALA": 50, "DISPERIN-KALSEL": 50}
    assert tala_suits_in_store() == 0
    suits = Batch.objects.filter(product__code="baju-hazmat", region__code__startswith="63.01.")
    assert sum(b.quantity for b in suits) == 100 and suits.count() == 3
    assert sum(i.accepted for i in Inspection.objects.filter(batch__in=suits)) == 100
    assert {i.inspector.role for i in Inspection.objects.filter(batch__in=suits)} == {"health_expert"}
    assert audit() == []
