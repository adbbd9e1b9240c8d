"""A dashboard, its briefing and the briefing's PDF cover at most five years, whatever period is asked for; a
month outside 2000–2100 (or before the operator's earliest date) is refused as a filter, never a server error."""

import datetime

import pytest
from django.urls import reverse

from conftest import client_for

LONGEST = {"start": "2000-01", "end": "2100-12"}


@pytest.mark.security
@pytest.mark.parametrize("url_name", ["dashboards:show", "dashboards:briefing", "dashboards:briefing-pdf"])
def test_a_century_long_period_is_cut_to_five_years_with_a_message(world, url_name):
    client = client_for(world.province_officer)
    response = client.get(reverse(url_name), LONGEST)
    assert response.status_code == 200
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Dasbor mencakup paling lama lima tahun; bulan-bulan awal tidak ditampilkan."]


@pytest.mark.security
def test_the_dashboard_shows_sixty_months_of_a_century_long_period(world):
    response = client_for(world.province_officer).get(reverse("dashboards:show"), LONGEST)
    period = response.context["board"].period
    assert len(period.months) == 60 and period.last == datetime.date(2100, 12, 1)
    response = client_for(world.province_officer).get("/api/v1/dashboard", LONGEST)
    assert response.status_code == 200 and len(response.json()["period"]["months"]) == 60


@pytest.mark.security
@pytest.mark.parametrize("month", ["0001-01", "1999-12", "2101-01", "9999-12"])
def test_a_month_outside_the_bounds_is_refused_as_a_filter(world, month):
    client = client_for(world.province_officer)
    response = client.get(reverse("dashboards:show"), {"start": month})
    assert response.status_code == 200 and "start" in response.context["form"].errors
    assert client.get(reverse("dashboards:briefing"), {"end": month}).status_code == 200
    api = client.get("/api/v1/dashboard", {"start": month})
    assert api.status_code == 422 and "start" in api.json()["errors"]


@pytest.mark.security
def test_a_month_before_the_operators_earliest_date_is_refused(world, settings):
    settings.SIGAP_EARLIEST_DATE = datetime.date(2015, 7, 1)
    client = client_for(world.province_officer)
    assert client.get("/api/v1/dashboard", {"start": "2015-06"}).status_code == 422
    assert client.get("/api/v1/dashboard", {"start": "2015-07", "end": "2015-12"}).status_code == 200
