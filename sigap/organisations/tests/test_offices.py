"""Offices bring their own organisations on board: who registers which kind where, the region picker, the history."""

import json

import pytest
from django.urls import reverse

from conftest import client_for
from sigap.organisations.models import Kind, Organisation

pytestmark = pytest.mark.security

API = "/api/v1/organisations"
TANBU = "63.10"


def _form(**extra):
    data = {"name": "Dinas Perindustrian Kabupaten Tanah Bumbu", "short_name": "Disperin Tanbu",
            "code": "disperin-tanbu", "kind": Kind.DISTRICT_INDUSTRY_OFFICE, "province": "63", "regency": TANBU,
            "district": "", "village": "", "address": "Jl. Raya Batulicin", "head_name": "", "head_title": ""}
    data.update(extra)
    return data


def _api(user, method, url, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client_for(user), method)(url, data=data, content_type="application/json")


def _body(**extra):
    return {"name": "BPBD Kabupaten Tanah Bumbu", "code": "BPBD-TANBU", "kind": "disaster_agency",
            "region_code": TANBU, **extra}


def test_a_provincial_officer_registers_a_district_industry_office_and_a_bpbd_in_tanah_bumbu(world):
    response = client_for(world.province_officer).post(reverse("organisations:create"), _form())
    office = Organisation.objects.get(code="DISPERIN-TANBU")
    assert response.status_code == 302 and response["Location"] == reverse("organisations:detail", args=[office.pk])
    assert (office.kind, office.region_id) == (Kind.DISTRICT_INDUSTRY_OFFICE, TANBU)
    response = client_for(world.province_officer).post(reverse("organisations:create"), _form(
        name="BPBD Kabupaten Tanah Bumbu", code="BPBD-TANBU", kind=Kind.DISASTER_AGENCY, district="63.10.01"))
    assert response.status_code == 302
    assert Organisation.objects.get(code="BPBD-TANBU").region_id == "63.10.01"


def test_a_provincial_officer_registers_them_through_the_api_too(world):
    response = _api(world.province_officer, "post", API, _body(kind="district_industry_office", code="DISPERIN-TANBU"))
    assert response.status_code == 201, response.json()
    assert response.json()["region_code"] == TANBU
    assert _api(world.province_officer, "post", API, _body()).status_code == 201
    assert set(Organisation.objects.filter(region_id=TANBU).values_list("code", flat=True)) == {
        "DISPERIN-TANBU", "BPBD-TANBU"}


def test_a_provincial_officer_may_not_register_a_provincial_office_or_an_agency_at_province_level(world):
    client = client_for(world.province_officer)
    response = client.post(reverse("organisations:create"), _form(kind=Kind.PROVINCIAL_INDUSTRY_OFFICE, regency=""))
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    response = _api(world.province_officer, "post", API, _body(region_code="63"))  # the service refuses: 400
    assert response.status_code == 400 and list(response.json()["errors"]) == ["region_code"]
    assert "tingkat: kabupaten/kota, kecamatan" in response.json()["errors"]["region_code"][0]
    assert not Organisation.objects.filter(code__in=["DISPERIN-TANBU", "BPBD-TANBU"]).exists()


def test_a_district_officer_registers_an_agency_of_their_regency(world):
    response = client_for(world.hsu_officer).post(reverse("organisations:create"), _form(
        name="BPBD HSU", code="BPBD-HSU-2", kind=Kind.DISASTER_AGENCY, regency="63.08"))
    assert response.status_code == 302
    assert Organisation.objects.get(code="BPBD-HSU-2").history.get().history_user == world.hsu_officer


def test_a_district_officer_is_refused_an_industry_office_and_an_agency_of_another_regency(world):
    before = Organisation.objects.count()
    client = client_for(world.hsu_officer)
    response = client.post(reverse("organisations:create"), _form(regency="63.08"))
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    response = client.post(reverse("organisations:create"), _form(kind=Kind.DISASTER_AGENCY))
    assert response.status_code == 200 and response.context["form"].errors
    response = _api(world.hsu_officer, "post", API, _body(kind="district_industry_office", region_code="63.08"))
    assert response.status_code == 422 and list(response.json()["errors"]) == ["kind"]
    response = _api(world.hsu_officer, "post", API, _body())
    assert response.status_code == 422 and list(response.json()["errors"]) == ["region_code"]
    assert Organisation.objects.count() == before


def test_the_service_refuses_in_plain_words(world):
    from sigap.lib.errors import DomainError
    from sigap.organisations.services import organisation_create
    from sigap.regions.models import Region

    with pytest.raises(DomainError, match="may not register") as refused:
        organisation_create(by=world.hsu_officer, name="X", code="X", kind=Kind.DISTRICT_INDUSTRY_OFFICE,
                            region=Region.objects.get(code="63.08"))
    assert refused.value.field == "kind"
    with pytest.raises(DomainError, match="outside your region"):
        organisation_create(by=world.hsu_officer, name="X", code="X", kind=Kind.TASK_FORCE,
                            region=Region.objects.get(code=TANBU))
    with pytest.raises(DomainError, match="level"):
        organisation_create(by=world.province_officer, name="X", code="X", kind=Kind.DISTRICT_INDUSTRY_OFFICE,
                            region=Region.objects.get(code="63.10.01"))
    assert not Organisation.objects.filter(code="X").exists()


def test_a_district_officer_edits_agencies_of_their_regency_but_not_industry_offices(world):
    client = client_for(world.tala_officer)
    assert client.get(reverse("organisations:edit", args=[world.gtpp_tala.pk])).status_code == 200
    response = client.post(reverse("organisations:edit", args=[world.tala_office.pk]), _form(
        kind=Kind.DISTRICT_INDUSTRY_OFFICE, regency="63.01", code="DISNAKERIND-TALA", name="Diubah"))
    assert response.status_code == 404
    response = _api(world.tala_officer, "patch", f"{API}/{world.tala_office.pk}", {"name": "Diubah"})
    assert response.status_code == 404
    response = _api(world.tala_officer, "patch", f"{API}/{world.gtpp_tala.pk}", {"kind": "district_industry_office"})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["kind"]
    response = _api(world.tala_officer, "patch", f"{API}/{world.gtpp_tala.pk}", {"head_name": "H. Sukamta"})
    assert response.status_code == 200 and response.json()["head_name"] == "H. Sukamta"
    world.tala_office.refresh_from_db()
    world.gtpp_tala.refresh_from_db()
    assert world.tala_office.name == "Disnakerind Kabupaten Tanah Laut"
    assert (world.gtpp_tala.kind, world.gtpp_tala.head_name) == (Kind.TASK_FORCE, "H. Sukamta")
    assert world.gtpp_tala.history.latest().history_user == world.tala_officer


def test_instructors_partners_and_agency_users_are_refused(world):
    before = Organisation.objects.count()
    for user in [world.instructor, world.health_expert, world.partner_user, world.agency_user]:
        assert client_for(user).post(reverse("organisations:create"), _form()).status_code == 403
        assert client_for(user).get(reverse("organisations:edit", args=[world.gtpp_tala.pk])).status_code == 403
        assert _api(user, "post", API, _body()).status_code == 403
        assert _api(user, "patch", f"{API}/{world.gtpp_tala.pk}", {"name": "x"}).status_code == 403
    assert Organisation.objects.count() == before


def test_an_administrator_registers_a_provincial_office_in_another_province(world):
    response = client_for(world.admin).post(reverse("organisations:create"), _form(
        name="Dinas Perindustrian Provinsi Kalimantan Timur", code="DISPERIN-KALTIM",
        kind=Kind.PROVINCIAL_INDUSTRY_OFFICE, province="64", regency=""))
    assert response.status_code == 302
    assert Organisation.objects.get(code="DISPERIN-KALTIM").region_id == "64"


def test_a_provincial_officer_of_63_registers_nothing_in_64(world):
    before = Organisation.objects.count()
    client = client_for(world.province_officer)
    response = client.post(reverse("organisations:create"), _form(province="64", regency="64.01"))
    assert response.status_code == 200 and response.context["form"].errors
    assert _api(world.province_officer, "post", API, _body(region_code="64.01")).status_code == 422
    assert client.get(reverse("organisations:edit", args=[world.kaltim_office.pk])).status_code == 404
    assert _api(world.province_officer, "patch", f"{API}/{world.kaltim_office.pk}",
                {"name": "x"}).status_code == 404
    assert Organisation.objects.count() == before


def test_the_history_page_says_who_changed_what(world):
    _api(world.tala_officer, "patch", f"{API}/{world.gtpp_tala.pk}", {"head_name": "H. Sukamta"})
    response = client_for(world.province_officer).get(reverse("organisations:history", args=[world.gtpp_tala.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "H. Sukamta" in html and "Budi" in html
    assert client_for(world.hsu_officer).get(
        reverse("organisations:history", args=[world.gtpp_tala.pk])).status_code == 404


def test_the_registration_page_is_small_and_offers_only_the_officers_regions(world):
    response = client_for(world.province_officer).get(reverse("organisations:create"))
    assert response.status_code == 200
    assert len(response.content) < 40_000, len(response.content)
    assert response.content.decode().count("<option") < 40  # a province's 13 regencies, not its 150 districts
    form = response.context["form"]
    assert [r.code for r in form.fields["province"].queryset] == ["63"]
    assert {r.code[:2] for r in form.fields["regency"].queryset} == {"63"}
    assert len(form.fields["regency"].queryset) == 13
    assert not form.fields["district"].queryset.exists()
    kinds = {value for value, _ in form.fields["kind"].choices if value}
    assert Kind.PROVINCIAL_INDUSTRY_OFFICE not in kinds and Kind.DISTRICT_INDUSTRY_OFFICE in kinds
    district = client_for(world.hsu_officer).get(reverse("organisations:create")).context["form"]
    assert [r.code for r in district.fields["regency"].queryset] == ["63.08"]
    assert {value for value, _ in district.fields["kind"].choices if value} == {
        Kind.TASK_FORCE, Kind.DISASTER_AGENCY, Kind.HEALTH_FACILITY, Kind.OTHER}


def test_the_picker_answers_the_next_level_only_within_the_users_region(world):
    url = reverse("regions:options")
    response = client_for(world.province_officer).get(url, {"regency": TANBU})
    assert response.status_code == 200
    assert 'value="63.10.01"' in response.content.decode()
    assert client_for(world.province_officer).get(url, {"province": "64"}).status_code == 404
    assert client_for(world.province_officer).get(url, {"regency": "64.01"}).status_code == 404
    assert client_for(world.hsu_officer).get(url, {"regency": "63.01"}).status_code == 404
    only_hsu = client_for(world.hsu_officer).get(url, {"province": "63"}).content.decode()
    assert 'value="63.08"' in only_hsu and 'value="63.01"' not in only_hsu
    assert client_for(world.admin).get(url, {"province": "64"}).status_code == 200
    assert client_for(None).get(url, {"province": "63"}).status_code == 302


def test_without_javascript_the_region_button_reloads_the_next_level_keeping_what_was_typed(world):
    client = client_for(world.province_officer)
    response = client.post(reverse("organisations:create"), _form(regency=TANBU, pick_region="1",
                                                                 name="BPBD Tanbu"))
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.errors
    html = response.content.decode()
    assert 'value="BPBD Tanbu"' in html and 'value="63.10.01"' in html
    assert not Organisation.objects.filter(code="DISPERIN-TANBU").exists()


def test_the_list_and_the_page_of_an_office_count_its_users(world):
    response = client_for(world.province_officer).get(reverse("organisations:list"))
    counts = {o.code: o.user_count for o in response.context["organisations"]}
    assert counts == {"DISPERIN-KALSEL": 2, "DISPERINDAGKOP-UKM-HSU": 2, "GTPP-COVID19-TALA": 1,
                      "DISNAKERIND-TALA": world.tala_office.users.count()}
    assert '<td class="num">1</td>' in response.content.decode()
    response = client_for(world.province_officer).get(reverse("organisations:detail", args=[world.hsu_office.pk]))
    assert response.context["organisation"].user_count == 2  # the HSU officer and the instructor


def test_the_edit_page_starts_from_the_organisations_region(world):
    world.gtpp_tala.region_id = "63.01.03"
    world.gtpp_tala.save()
    response = client_for(world.tala_officer).get(reverse("organisations:edit", args=[world.gtpp_tala.pk]))
    form = response.context["form"]
    assert [form[name].value() for name in ["province", "regency", "district", "village"]] == [
        "63", "63.01", "63.01.03", None]
    assert {r.code for r in form.fields["village"].queryset} == set(
        form.fields["village"].queryset.filter(parent_id="63.01.03").values_list("code", flat=True))
    assert 'value="63.01.03.1004"' in response.content.decode()


def test_the_list_counts_users_in_the_same_few_queries_however_many_organisations(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.province_officer)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("organisations:list"))
    Organisation.objects.bulk_create([
        Organisation(name=f"Puskesmas {n}", code=f"PKM-{n}", kind=Kind.HEALTH_FACILITY, region_id="63.10")
        for n in range(20)])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("organisations:list"))
    assert len(response.context["organisations"]) == 24
    assert len(many) == len(few)


def test_an_offices_page_links_to_its_users_for_those_who_manage_them(world):
    link = f'{reverse("users:list")}?q=Disperindagkop-UKM%20Kabupaten%20Hulu%20Sungai%20Utara'
    page = client_for(world.hsu_officer).get(reverse("organisations:detail", args=[world.hsu_office.pk]))
    assert link in page.content.decode()
    page = client_for(world.instructor).get(reverse("organisations:detail", args=[world.hsu_office.pk]))
    assert page.status_code == 200 and reverse("users:list") not in page.content.decode()


def test_an_organisation_whose_users_would_not_fit_its_new_kind_keeps_its_kind(world):
    """GTPP Tala has an agency user: turned into an industry office, that login would register partners and
    receive stock. The page and the API refuse in words (the database would refuse it too), and nothing changes."""
    page = client_for(world.province_officer).post(reverse("organisations:edit", args=[world.gtpp_tala.pk]), _form(
        kind=Kind.DISTRICT_INDUSTRY_OFFICE, regency="63.01", code="GTPP-COVID19-TALA", name="GTPP Tala"))
    assert page.status_code == 200
    assert "agency_user" in " ".join(page.context["form"].errors["kind"])
    response = _api(world.province_officer, "patch", f"{API}/{world.gtpp_tala.pk}",
                    {"kind": "district_industry_office"})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["kind"]
    world.gtpp_tala.refresh_from_db()
    assert (world.gtpp_tala.kind, world.gtpp_tala.name) == (Kind.TASK_FORCE, "GTPP Covid-19 Kabupaten Tanah Laut")
    response = _api(world.province_officer, "patch", f"{API}/{world.gtpp_tala.pk}", {"kind": "disaster_agency"})
    assert response.status_code == 200  # another agency: its agency user still fits
