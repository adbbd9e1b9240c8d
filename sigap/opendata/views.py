import json

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from sigap.lib.export import export_response
from sigap.opendata.selectors import HANDOVER_FIELDS, MONTHLY_FIELDS, handover_rows, monthly_rows

PUBLIC_CACHE = {"public": True, "max_age": 600}


@cache_control(**PUBLIC_CACHE)
def index(request):
    return render(request, "opendata/index.html", {"monthly_fields": MONTHLY_FIELDS,
                                                   "handover_fields": HANDOVER_FIELDS})


@cache_control(**PUBLIC_CACHE)
def monthly_csv(request):
    rows = ([row[field] for field in MONTHLY_FIELDS] for row in monthly_rows())
    return export_response("csv", "sigap-bulanan", MONTHLY_FIELDS, rows)


def _json_array(rows):
    yield "["
    for i, row in enumerate(rows):
        yield ("," if i else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]\n"


@cache_control(**PUBLIC_CACHE)
def monthly_json(request):
    return StreamingHttpResponse(_json_array(monthly_rows()), content_type="application/json; charset=utf-8")


@cache_control(**PUBLIC_CACHE)
def handovers_csv(request):
    return export_response("csv", "sigap-serah-terima", HANDOVER_FIELDS, handover_rows())
