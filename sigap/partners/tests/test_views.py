import pytest
from django.urls import reverse

from conftest import client_for
from sigap.partners.models import Partner


def test_a_district_officer_lists_only_their_district(world):
    response = client_for(world.tala_officer).get(reverse("partners:list"))
    assert response.status_code == 200
    names = [p.name for p in response.context["page"]]
    assert names == ["Konveksi Tuntung Pandang"]


def test_a_province_officer_lists_every_district_of_the_province(world):
    response = client_for(world.province_officer).get(reverse("partners:list"))
    names = {p.name for p in response.context["page"]}
    assert names == {"Konveksi Tuntung Pandang", "Sasirangan Amuntai Indah"}


def test_a_partner_user_sees_only_their_own_business(world):
    response = client_for(world.partner_user).get(reverse("partners:list"))
    assert [p.pk for p in response.context["page"]] == [world.tala_partner.pk]
    assert client_for(world.partner_user).get(reverse("partners:detail", args=[world.hsu_partner.pk])).status_code == 404


def test_another_districts_partner_answers_404(world):
    client = client_for(world.tala_officer)
    for name in ["partners:detail", "partners:edit", "partners:history"]:
        assert client.get(reverse(name, args=[world.hsu_partner.pk])).status_code == 404


def test_an_agency_user_may_not_browse_the_registry(world):
    assert client_for(world.agency_user).get(reverse("partners:list")).status_code == 403


def test_the_list_filters_by_search_regency_product_and_status(world):
    client = client_for(world.province_officer)
    by_name = client.get(reverse("partners:list"), {"q": "amuntai"})
    assert [p.name for p in by_name.context["page"]] == ["Sasirangan Amuntai Indah"]
    by_regency = client.get(reverse("partners:list"), {"regency": "63.01"})
    assert [p.name for p in by_regency.context["page"]] == ["Konveksi Tuntung Pandang"]
    by_product = client.get(reverse("partners:list"), {"product": world.mask.pk})
    assert [p.name for p in by_product.context["page"]] == ["Sasirangan Amuntai Indah"]
    inactive = client.get(reverse("partners:list"), {"status": "inactive"})
    assert list(inactive.context["page"]) == []


def test_the_list_answers_htmx_with_only_the_table(world):
    response = client_for(world.tala_officer).get(reverse("partners:list"), {"q": "tuntung"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Konveksi Tuntung Pandang" in response.content


def test_the_list_costs_the_same_queries_for_3_or_60_partners(world, django_assert_num_queries):
    client = client_for(world.province_officer)
    client.get(reverse("partners:list"))  # warm the session
    with django_assert_num_queries(8) as few:
        client.get(reverse("partners:list"))
    for n in range(60):
        partner = Partner.objects.create(
            name=f"IKM {n:02d}", nib=f"{9000000000000 + n}", owner_name="X", address="Jl. X",
            region_id="63.01.03.1001", sector="garment", assisting_office=world.tala_office,
            joined_on="2020-05-01")
        partner.capabilities.create(item=world.mask, weekly_capacity=10)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("partners:list"))
    assert response.context["page"].paginator.count == 62


VALID = {
    "name": "Konveksi Baru Pelaihari", "nib": "9120001239999", "owner_name": "Ibu Ani", "address": "Jl. Baru 1",
    "district": "63.01.03", "village": "63.01.03.1004", "phone": "0812 5123 9999", "sector": "garment",
    "joined_on": "2020-06-01", "status": "active",
    "products-TOTAL_FORMS": "1", "products-INITIAL_FORMS": "0", "products-MIN_NUM_FORMS": "0",
    "products-MAX_NUM_FORMS": "20", "products-0-item": "", "products-0-weekly_capacity": "",
}


def test_an_officer_registers_a_partner_with_products(world):
    data = {**VALID, "assisting_office": world.tala_office.pk,
            "products-0-item": world.suit.pk, "products-0-weekly_capacity": "25"}
    response = client_for(world.tala_officer).post(reverse("partners:create"), data)
    partner = Partner.objects.get(nib="9120001239999")
    assert response.status_code == 302 and response.url == reverse("partners:detail", args=[partner.pk])
    assert partner.region_id == "63.01.03.1004"
    assert partner.phone == "+6281251239999"
    assert list(partner.capabilities.values_list("item__code", "weekly_capacity")) == [("baju-hazmat", 25)]
    created = partner.history.get()
    assert created.history_type == "+" and created.history_user == world.tala_officer


@pytest.mark.parametrize("field, value, message", [
    ("nib", "12345", "NIB terdiri dari 13 digit."),
    ("nib", "9120001230005", "Mitra lain sudah terdaftar dengan NIB ini."),
    ("phone", "12345", "Masukkan nomor telepon Indonesia"),
    ("name", "", "Bidang ini tidak boleh kosong."),
    ("village", "63.01.01.2001", "Desa ini tidak berada di kecamatan yang dipilih."),
])
def test_bad_input_is_refused_in_indonesian_and_nothing_is_saved(world, field, value, message):
    data = {**VALID, "assisting_office": world.tala_office.pk, field: value}
    response = client_for(world.tala_officer).post(reverse("partners:create"), data, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Partner.objects.count() == 3


def test_a_district_officer_cannot_register_a_partner_in_another_district(world):
    data = {**VALID, "assisting_office": world.tala_office.pk, "district": "63.08.05", "village": ""}
    response = client_for(world.tala_officer).post(reverse("partners:create"), data)
    assert response.status_code == 200
    assert "district" in response.context["form"].errors
    assert not Partner.objects.filter(nib=VALID["nib"]).exists()


def test_editing_records_old_and_new_values_in_the_history(world):
    partner = world.tala_partner
    client = client_for(world.tala_officer)
    form = client.get(reverse("partners:edit", args=[partner.pk])).context["form"]
    data = {**VALID, "name": partner.name, "nib": partner.nib, "assisting_office": world.tala_office.pk,
            "district": "63.01.03", "village": partner.region_id, "status": "inactive",
            "products-INITIAL_FORMS": "0"}
    assert form.initial["district"] == "63.01.03"
    response = client.post(reverse("partners:edit", args=[partner.pk]), data)
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.status == "inactive" and partner.left_on is not None
    history = client.get(reverse("partners:history", args=[partner.pk]))
    entry = history.context["entries"][0]
    assert entry.who == world.tala_officer
    changed = {c.field: (c.old, c.new) for c in entry.changes}
    assert changed["status"] == ("active", "inactive")


def test_the_detail_page_links_whatsapp_and_masks_the_phone_for_roles_that_do_not_need_it(world):
    officer_page = client_for(world.tala_officer).get(reverse("partners:detail", args=[world.tala_partner.pk]))
    assert "https://wa.me/6281251230001" in officer_page.content.decode()
    assert "0812-5123-0001" in officer_page.content.decode()


def test_partners_by_month_counts_active_and_new(world):
    response = client_for(world.province_officer).get(reverse("partners:growth"))
    rows = {row["month"].strftime("%Y-%m"): row for row in response.context["rows"]}
    assert rows["2018-08"]["active"] == 1 and rows["2018-08"]["new"] == 1
    assert rows["2019-03"]["active"] == 2 and rows["2019-03"]["new"] == 1
    assert rows["2019-04"]["new"] == 0
    only_2019 = client_for(world.province_officer).get(reverse("partners:growth"), {"year": "2019"})
    assert [row["month"].month for row in only_2019.context["rows"]] == list(range(1, 13))
    assert only_2019.context["rows"][-1]["active"] == 2


def test_a_partner_that_left_stops_counting_from_the_month_it_left(world):
    import datetime

    from sigap.partners.services import partners_by_month

    Partner.objects.filter(pk=world.hsu_partner.pk).update(status="inactive", left_on=datetime.date(2020, 3, 15))
    rows = partners_by_month(Partner.objects.in_region("63"), first=datetime.date(2020, 2, 1),
                             last=datetime.date(2020, 3, 31))
    assert [(r["active"], r["new"]) for r in rows] == [(2, 0), (1, 0)]
