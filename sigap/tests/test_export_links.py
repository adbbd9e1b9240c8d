"""Every list offers its CSV and Excel download with the filters it shows now (and not the page it is on)."""

import pytest
from django.urls import reverse

from conftest import client_for

# list route, export route, a filter the list understands
LISTS = [
    ("trainings:list", "trainings:export", "mode=offline"),
    ("trainings:list", "trainings:participant-export", "mode=offline"),
    ("production:list", "production:export", "status=inspected"),
    ("quality:worklist", "quality:export", ""),
    ("stock:balances", "stock:balance-export", "item=1"),
    ("stock:movements", "stock:movement-export", "item=1"),
    ("handovers:list", "handovers:export", "status=void"),
    ("handovers:request-list", "handovers:request-export", "status=all"),
    ("market:sales", "market:sale-export", "year=2020"),
]


@pytest.mark.parametrize("list_route, export_route, query", LISTS)
def test_the_list_links_to_its_export_with_the_current_filters(world, list_route, export_route, query):
    page = client_for(world.province_officer).get(f"{reverse(list_route)}?{query}&page=2").content.decode()
    carried = f"{query}&amp;" if query else ""
    for fmt in ("csv", "xlsx"):
        assert f'href="{reverse(export_route)}?{carried}format={fmt}"' in page
