"""Pages offer each role only what it may do: no filter over a list of one, no link to a record it may not open,
and on each record the next steps its reader may take."""

import datetime

import pytest
from django.urls import reverse

from conftest import client_for

from sigap.stock.services import issue_record, location_for, receipt_record, transfer_record
from sigap.tests.test_access_matrix import matrix_world  # noqa: F401 (a fixture)

DAY = datetime.date(2020, 6, 2)


@pytest.mark.security
def test_a_partner_user_is_linked_to_the_stock_documents_issued_to_it_and_not_to_the_offices_transfer_out(world):
    w = world
    receipt_record(office=w.tala_office, supplier=None, date=DAY, lines=[(w.fabric, 50)], by=w.tala_officer)
    issued = issue_record(office=w.tala_office, recipient=w.tala_partner, date=DAY, lines=[(w.fabric, 20)],
                          by=w.tala_officer)
    returned = transfer_record(office=w.tala_office, source=location_for(w.tala_partner),
                               destination=location_for(w.tala_office), date=DAY, lines=[(w.fabric, 5)],
                               by=w.tala_officer)
    partner, officer = client_for(w.partner_user), client_for(w.tala_officer)

    page = partner.get(reverse("stock:movements")).content.decode()

    assert f'href="{issued.get_absolute_url()}"' in page
    assert f'href="{returned.get_absolute_url()}"' not in page
    assert returned.number in page  # still named, as the movement's note
    assert partner.get(returned.get_absolute_url()).status_code == 404
    assert f'href="{returned.get_absolute_url()}"' in officer.get(reverse("stock:movements")).content.decode()


def test_a_partner_user_is_offered_no_region_or_location_filter_over_its_own_business(world):
    partner, officer = client_for(world.partner_user), client_for(world.tala_officer)

    assert "regency" not in partner.get(reverse("partners:list")).context["filters"].fields
    assert "regency" in officer.get(reverse("partners:list")).context["filters"].fields
    for route in ("stock:balances", "stock:movements"):
        assert "location" not in partner.get(reverse(route)).context["filters"].fields
        assert "location" in officer.get(reverse(route)).context["filters"].fields
    # a location asked for in the address is ignored, not an error: the partner's own stock is listed
    assert partner.get(reverse("stock:movements") + "?location=999").status_code == 200


@pytest.mark.parametrize("name, shown, hidden", [
    ("health_expert", ["quality:worklist", "dashboards:show"], ["market:inquiries", "users:list", "partners:create"]),
    ("partner_user", ["production:list", "market:my-listings"], ["partners:list", "handovers:list", "items:list"]),
    ("agency_user", ["handovers:list"], ["partners:list", "production:list", "market:my-listings"]),
    ("tala_officer", ["partners:list", "users:list", "handovers:list"], ["quality:worklist", "tokens:list"]),
])
def test_the_menu_offers_each_role_what_it_may_open(world, name, shown, hidden):
    page = client_for(getattr(world, name)).get(reverse("profile")).content.decode()
    menu = page[page.index('<nav class="menu"'):page.index("</nav>")]

    for route in shown:
        assert f'href="{reverse(route)}"' in menu, route
    for route in hidden:
        assert f'href="{reverse(route)}"' not in menu, route


@pytest.mark.parametrize("name, shown, hidden", [
    ("tala_officer", ["production:create", "market:listing-create", "stock:issue-create"], []),
    ("partner_user", ["production:create", "market:listing-create"], ["stock:issue-create"]),
    ("health_expert", [], ["production:create", "market:listing-create", "stock:issue-create"]),
])
def test_a_partners_page_offers_the_next_steps_its_reader_may_take(matrix_world, name, shown, hidden):
    w = matrix_world
    page = client_for(getattr(w, name)).get(reverse("partners:detail", args=[w.tala_partner.pk])).content.decode()

    for route in shown:
        assert f'href="{reverse(route)}' in page, route
    for route in hidden:
        assert f'href="{reverse(route)}' not in page, route


def test_register_production_from_a_partners_page_starts_the_form_at_that_partner(matrix_world):
    w = matrix_world
    response = client_for(w.tala_officer).get(reverse("production:create") + f"?partner={w.tala_partner.pk}")

    assert response.context["form"]["partner"].value() == str(w.tala_partner.pk)
    assert client_for(w.tala_officer).get(reverse("production:create") + "?partner=x").status_code == 200


def test_a_batch_with_accepted_goods_offers_the_handover_to_officers_only(matrix_world):
    w = matrix_world
    url = reverse("production:detail", args=[w.tala_inspection.batch_id])

    assert f'href="{reverse("handovers:create")}"' in client_for(w.tala_officer).get(url).content.decode()
    partner_page = client_for(w.partner_user).get(url).content.decode()
    assert f'href="{reverse("handovers:create")}"' not in partner_page
    assert f'href="{reverse("market:listing-create")}"' in partner_page
    waiting = client_for(w.tala_officer).get(reverse("production:detail", args=[w.tala_batch.pk])).content.decode()
    assert f'href="{reverse("handovers:create")}"' not in waiting  # nothing accepted yet
