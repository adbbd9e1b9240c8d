"""The home page says what waits for each role, each count linking to the list it counts; a visitor gets the public
catalogue and the open data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from sigap.market.models import Inquiry
from sigap.tests.test_access_matrix import matrix_world  # noqa: F401 (a fixture)
from sigap.trainings.models import Training


def cards(response) -> dict[str, int]:
    return {card["url"]: card["count"] for card in response.context["cards"]}


def running_training(w, *, office, target=100):
    today = timezone.localdate()
    return Training.objects.create(office=office, title="Bimtek masker", mode="offline",
                                   starts_on=today - datetime.timedelta(days=3),
                                   ends_on=today + datetime.timedelta(days=6), product=w.suit, target=target, quota=5)


def test_a_visitor_at_the_root_gets_the_catalogue_and_the_open_data_with_a_way_to_sign_in(matrix_world):  # noqa: F811
    response = client_for(None).get("/")

    assert response.status_code == 200
    page = response.content.decode()
    for name in ("login", "market:catalogue", "opendata:index"):
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("market:listing", args=[matrix_world.tala_listing.pk])}"' in page
    assert 'name="password"' not in page


def test_an_officer_sees_what_waits_in_their_district_only(matrix_world):  # noqa: F811
    w = matrix_world
    running_training(w, office=w.tala_office)
    running_training(w, office=w.hsu_office)

    tala = cards(client_for(w.tala_officer).get("/"))
    hsu = cards(client_for(w.hsu_officer).get("/"))

    assert tala[reverse("quality:worklist")] == 1
    assert tala[reverse("handovers:list") + "?status=handed_over"] == 1
    assert tala[reverse("handovers:request-list") + "?status=open"] == 1
    assert tala[reverse("trainings:list") + "?behind=1"] == 1
    assert hsu[reverse("quality:worklist")] == 0
    assert hsu[reverse("handovers:list") + "?status=handed_over"] == 0
    assert hsu[reverse("handovers:request-list") + "?status=open"] == 0
    assert hsu[reverse("trainings:list") + "?behind=1"] == 1


def test_the_health_expert_is_told_the_batches_to_inspect_and_nothing_of_an_officers_work(matrix_world):  # noqa: F811
    found = cards(client_for(matrix_world.health_expert).get("/"))

    assert found[reverse("quality:worklist")] == 1
    assert reverse("handovers:list") + "?status=handed_over" not in found
    assert reverse("trainings:list") + "?behind=1" not in found


def test_a_partner_user_sees_new_questions_with_the_buyers_phone_orders_and_taken_down_listings(
        matrix_world):  # noqa: F811
    w = matrix_world
    Inquiry.objects.create(listing=w.tala_listing, name="Dijawab", phone="+6281200000001", quantity=1,
                           answered_at=timezone.now())
    w.tala_listing.taken_down = True
    w.tala_listing.save(update_fields=["taken_down"])

    response = client_for(w.partner_user).get("/")

    found = cards(response)
    assert found[reverse("market:inquiries") + "?status=new"] == 1
    assert found[reverse("handovers:orders")] == 0
    assert found[reverse("market:my-listings") + "?taken_down=1"] == 1
    page = response.content.decode()
    assert 'href="https://wa.me/6281200000000?text=' in page
    assert 'href="tel:+6281200000000"' in page
    assert "+6281200000001" not in page  # an answered question is not waiting
    assert reverse("quality:worklist") not in found and reverse("partners:list") not in found


def test_an_agency_user_sees_the_handovers_to_confirm(matrix_world):  # noqa: F811
    found = cards(client_for(matrix_world.agency_user).get("/"))

    assert found == {reverse("handovers:list") + "?status=handed_over": 1}


def test_each_count_opens_the_list_of_what_it_counted(matrix_world):  # noqa: F811
    w = matrix_world
    Inquiry.objects.create(listing=w.tala_listing, name="Dijawab", phone="+6281200000001", quantity=1,
                           answered_at=timezone.now())
    behind = running_training(w, office=w.tala_office)
    partner, officer = client_for(w.partner_user), client_for(w.tala_officer)

    assert [i.pk for i in partner.get(reverse("market:inquiries") + "?status=new").context["inquiries"]] == [
        w.tala_inquiry.pk]
    assert list(partner.get(reverse("market:my-listings") + "?taken_down=1").context["listings"]) == []
    assert list(officer.get(reverse("trainings:list") + "?behind=1").context["trainings"]) == [behind]
    assert len(officer.get(reverse("trainings:list")).context["trainings"]) == 2


def test_a_training_is_behind_below_the_targets_share_of_the_days_gone_by():
    training = Training(starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 3, 10), target=100)
    training.produced = 39

    assert training.is_behind(on=datetime.date(2026, 3, 4))
    training.produced = 40
    assert not training.is_behind(on=datetime.date(2026, 3, 4))
    assert not training.is_behind(on=datetime.date(2026, 2, 28))  # not started
    assert training.is_behind(on=datetime.date(2026, 3, 20))  # ended short of the target


@pytest.mark.parametrize("name", ["tala_officer", "health_expert", "partner_user", "agency_user", "instructor"])
def test_the_home_page_reads_the_same_number_of_queries_however_much_waits(matrix_world, name):  # noqa: F811
    w = matrix_world
    client = client_for(getattr(w, name))
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(6):
        Inquiry.objects.create(listing=w.tala_listing, name=f"Pembeli {n}", phone="+6281200000000", quantity=1)
        running_training(w, office=w.tala_office)
    with CaptureQueriesContext(connection) as many:
        client.get("/")

    assert len(many) <= len(few) + 1  # a partner's count of more than five questions is one query more
    assert len(many) <= 12
