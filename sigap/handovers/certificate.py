"""The handover certificate (Berita Acara Serah Terima, BAST) as a PDF.

A BAST is an Indonesian official record, so it is always written in Indonesian, whatever the reader's
interface language: the day and date in words, both parties, the goods with quantities in words.
"""

from functools import lru_cache

import segno
from django.utils import translation
from lokal import terbilang

from sigap.lib.pdf import render_pdf

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]
PURPOSES = {
    "use": "untuk dipergunakan sebagaimana mestinya",
    "distribution": "untuk dibagikan secara gratis kepada masyarakat",
    "evaluation": "untuk dievaluasi",
}


def date_in_words(day) -> str:
    """"Senin tanggal lima belas bulan Juni tahun dua ribu dua puluh"."""
    return (f"{DAYS[day.weekday()]} tanggal {terbilang(day.day)} bulan {MONTHS[day.month - 1]} "
            f"tahun {terbilang(day.year)}")


@lru_cache(maxsize=256)
def qr_data_uri(url: str) -> str:
    """A PNG (cheaper to lay out than SVG); a certificate's URL never changes, so it is cached."""
    return segno.make(url, error="m").png_data_uri(scale=3, border=1)


def certificate_context(handover, *, verify_url: str) -> dict:
    lines = [
        {"number": i, "product": line.product_name, "batch": line.batch, "quantity": line.quantity,
         "words": terbilang(line.quantity), "unit": line.get_product_unit_display()}
        for i, line in enumerate(handover.lines.select_related("batch"), start=1)
    ]
    return {
        "handover": handover, "lines": lines, "office": handover.office, "receiver": handover.receiver,
        "date_words": date_in_words(handover.handed_over_on),
        "date_short": f"{handover.handed_over_on.day} {MONTHS[handover.handed_over_on.month - 1]} "
                      f"{handover.handed_over_on.year}",
        "purpose": PURPOSES[handover.purpose], "verify_url": verify_url, "qr": qr_data_uri(verify_url),
    }


def certificate_pdf(handover, *, verify_url: str) -> bytes:
    with translation.override("id"):  # units and labels in Indonesian, whatever the reader's language
        return render_pdf("handovers/bast.pdf.html", certificate_context(handover, verify_url=verify_url))
