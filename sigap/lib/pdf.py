"""Rendering PDFs from templates with WeasyPrint, loading nothing from outside SIGAP.

The URL fetcher serves SIGAP's own static files and data: URIs and refuses everything else (no network, no
file://), so a value typed into a document cannot make the server fetch a URL.
"""

import mimetypes

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "sigap-static:///"


class ExternalResourceRefused(ValueError):
    pass


class SigapURLFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        for prefix in (BASE_URL, settings.STATIC_URL):
            if url.startswith(prefix):
                try:
                    path = finders.find(url[len(prefix):].split("?")[0].lstrip("/"))
                except SuspiciousFileOperation:  # ../ out of the static folders
                    path = None
                if path:
                    mime, _encoding = mimetypes.guess_type(path)
                    with open(path, "rb") as handle:
                        return URLFetcherResponse(url, handle.read(),
                                                  {"Content-Type": mime or "application/octet-stream"})
        raise ExternalResourceRefused(f"PDFs load only SIGAP's own files, not {url[:80]}")


_fonts = None


def _font_config() -> FontConfiguration:
    """One font configuration per process: building it costs more than laying out a one-page certificate."""
    global _fonts
    if _fonts is None:
        _fonts = FontConfiguration()
    return _fonts


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF the browser shows in its viewer, saved under ``filename``."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=SigapURLFetcher())
    return document.write_pdf(font_config=_font_config())
