"""Inspection checklists are master data every district shares: only administrators and provincial officers change
them, every change is kept with who made it, and an inspection already recorded keeps the points it was judged
against."""

import datetime

import pytest
from django.urls import reverse

from conftest import client_for
from sigap.production.services import production_record
from sigap.quality.models import Criterion
from sigap.quality.services import inspection_record
from sigap.lib.errors import DomainError

DAY = datetime.date(2020, 6, 10)


@pytest.fixture
def checklist(world):
    world.criteria = [Criterion.objects.create(product=world.suit, text=t, position=i)
                      for i, t in enumerate(["Jahitan dilakban", "Tidak berlubang"], start=1)]
    return world


def checklist_form(w, changes=(), new=()):
    """The checklist page's formset as posted: the product's points (with ``changes`` by position) and new ones."""
    points = list(w.suit.criteria.order_by("pk"))
    data = {"criteria-TOTAL_FORMS": str(len(points) + len(new)), "criteria-INITIAL_FORMS": str(len(points)),
            "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "40"}
    rows = [({"id": p.pk, "text": p.text, "reference": p.reference, "position": p.position,
              "is_active": p.is_active} | dict(changes).get(n, {})) for n, p in enumerate(points)]
    rows += [{"id": "", "text": text, "reference": "", "position": 9, "is_active": True} for text in new]
    for n, row in enumerate(rows):
        data.update({f"criteria-{n}-id": row["id"], f"criteria-{n}-product": w.suit.pk,
                     f"criteria-{n}-text": row["text"], f"criteria-{n}-reference": row["reference"],
                     f"criteria-{n}-position": row["position"]})
        if row["is_active"]:
            data[f"criteria-{n}-is_active"] = "on"
    return data


def points():
    return (list(Criterion.objects.order_by("pk").values_list("product", "text", "reference", "position",
                                                              "is_active")), Criterion.history.count())


@pytest.mark.security
@pytest.mark.parametrize("who", ["hsu_officer", "tala_officer", "instructor", "health_expert"])
def test_only_administrators_and_provincial_officers_open_or_post_the_checklist_page(checklist, who):
    w = checklist
    client = client_for(getattr(w, who))
    url = reverse("quality:criteria", args=[w.suit.pk])
    before = points()
    assert client.get(url).status_code == 403
    assert client.post(url, checklist_form(w, changes={0: {"text": "Boleh tidak dilakban"}},
                                           new=["Titik baru"])).status_code == 403
    assert points() == before


@pytest.mark.security
def test_the_checklist_service_refuses_a_district_officer(checklist):
    from sigap.quality.services import checklist_save

    w = checklist
    before = points()
    point = Criterion.objects.get(pk=w.criteria[0].pk)
    point.text = "Boleh tidak dilakban"
    with pytest.raises(DomainError, match="provincial"):
        checklist_save(product=w.suit, points=[point], by=w.hsu_officer)
    assert points() == before


@pytest.mark.security
@pytest.mark.parametrize("who", ["province_officer", "admin"])
def test_a_checklist_change_is_kept_with_who_made_it(checklist, who):
    w = checklist
    user = getattr(w, who)
    response = client_for(user).post(reverse("quality:criteria", args=[w.suit.pk]), checklist_form(
        w, changes={0: {"text": "Semua jahitan dilakban"}}, new=["Ritsleting berfungsi"]))
    assert response.status_code == 302 and response.url == reverse("items:detail", args=[w.suit.pk])
    assert list(w.suit.criteria.order_by("pk").values_list("text", flat=True)) == [
        "Semua jahitan dilakban", "Tidak berlubang", "Ritsleting berfungsi"]
    changed = Criterion.history.filter(id=w.criteria[0].pk).order_by("-history_date", "-history_id")
    assert [(h.history_type, h.history_user, h.text) for h in changed] == [
        ("~", user, "Semua jahitan dilakban"), ("+", None, "Jahitan dilakban")]
    added = Criterion.history.get(text="Ritsleting berfungsi")
    assert (added.history_type, added.history_user) == ("+", user)


@pytest.mark.security
def test_a_recorded_inspection_keeps_the_points_it_was_judged_against(checklist):
    w = checklist
    batch = production_record(producer=w.tala_partner, product=w.suit, quantity=10, produced_on=DAY,
                              by=w.tala_officer)
    inspection = inspection_record(batch=batch, by=w.health_expert, inspected_on=DAY, sample_size=2, accepted=9,
                                   rejected=1, reject_reason="Berlubang",
                                   results=[(w.criteria[0], True, ""), (w.criteria[1], False, "Satu berlubang")])
    response = client_for(w.province_officer).post(reverse("quality:criteria", args=[w.suit.pk]), checklist_form(
        w, changes={0: {"text": "Jahitan boleh tidak dilakban"}, 1: {"text": "Lubang kecil diterima"}}))
    assert response.status_code == 302

    page = client_for(w.tala_officer).get(reverse("quality:detail", args=[inspection.pk])).content.decode()
    assert "Jahitan dilakban" in page and "Tidak berlubang" in page and "Satu berlubang" in page
    assert "boleh tidak dilakban" not in page and "Lubang kecil diterima" not in page
    body = client_for(w.health_expert).get(f"/api/v1/inspections/{inspection.pk}").json()
    assert [(r["criterion_id"], r["criterion"], r["passed"]) for r in body["results"]] == [
        (w.criteria[0].pk, "Jahitan dilakban", True), (w.criteria[1].pk, "Tidak berlubang", False)]
    # The next batch is judged against the checklist as it is now.
    later = production_record(producer=w.tala_partner, product=w.suit, quantity=10, produced_on=DAY,
                              by=w.tala_officer)
    form = client_for(w.health_expert).get(reverse("quality:inspect", args=[later.pk])).content.decode()
    assert "Jahitan boleh tidak dilakban" in form and "Lubang kecil diterima" in form
