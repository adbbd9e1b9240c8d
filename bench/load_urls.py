"""The load test's URLconf (bench/load_test.py, through bench/load_settings.py): every SIGAP route unchanged, plus
/bench/bare/, a bare Django view that renders a small template, as the ceiling SIGAP's pages are compared with.
It exists only in the benchmark's gunicorn, never in SIGAP's own URLconf."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from sigap.urls import urlpatterns as sigap_urlpatterns

TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>{{ title }}</title></head>"
    "<body><h1>{{ title }}</h1><ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul></body></html>"
)


def bare(request):
    return HttpResponse(TEMPLATE.render({"title": "SIGAP", "items": range(20)}, request))


urlpatterns = [path("bench/bare/", bare)] + sigap_urlpatterns
