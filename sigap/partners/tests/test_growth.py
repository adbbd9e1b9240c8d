import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sigap.partners.models import Partner
from sigap.partners.services import partners_by_month

START = datetime.date(2019, 1, 1)
days = st.integers(0, 3 * 365)


def _month_end(month: datetime.date) -> datetime.date:
    following = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spans=st.lists(st.tuples(days, st.one_of(st.none(), st.integers(0, 400))), max_size=12),
       first=st.integers(0, 30), length=st.integers(1, 14))
def test_active_and_new_partners_by_month_equal_a_count_of_each_partner(world, spans, first, length):
    savepoint = transaction.savepoint()
    try:
        base = Partner.objects.none()
        created = []
        for n, (joined, stayed) in enumerate(spans):
            joined_on = START + datetime.timedelta(days=joined)
            left_on = joined_on + datetime.timedelta(days=stayed) if stayed is not None else None
            created.append(Partner.objects.create(
                name=f"IKM {n}", nib=f"9129{n:09d}", owner_name="Pemilik", address="Jl", region_id="63.01.03.1005",
                sector="garment", assisting_office=world.tala_office, joined_on=joined_on, left_on=left_on,
                status="inactive" if left_on else "active"))
        partners = Partner.objects.filter(pk__in=[p.pk for p in created]) if created else base
        first_month = datetime.date(2019 + first // 12, first % 12 + 1, 1)
        last_index = first + length - 1
        last_month = datetime.date(2019 + last_index // 12, last_index % 12 + 1, 1)
        rows = partners_by_month(partners, first=first_month, last=last_month)
        assert len(rows) == length
        for row in rows:
            end = _month_end(row["month"])
            assert row["active"] == sum(1 for p in created if p.joined_on <= end
                                        and (p.left_on is None or p.left_on > end))
            assert row["new"] == sum(1 for p in created if (p.joined_on.year, p.joined_on.month)
                                     == (row["month"].year, row["month"].month))
    finally:
        transaction.savepoint_rollback(savepoint)
