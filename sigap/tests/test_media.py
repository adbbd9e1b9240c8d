"""/media/ serves the public catalogue's photos and nothing else: a private upload is reached only through the record
that owns it, and a path that is not written the one plain way (``..``, ``.``, ``//``, ``\\``, encoded) is 404."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import client_for
from sigap.market.services import listing_save
from sigap.production.services import production_record
from sigap.quality.services import inspection_record
from sigap.trainings.models import Training
from sigap.trainings.services import material_add

DAY = datetime.date(2020, 6, 1)


def _png(name="foto.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 10)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def uploads(world):
    """A Tala training's handout, a Tala inspection's photo and a Tala listing's photo."""
    w = world
    training = Training.objects.create(office=w.tala_office, title="Bimtek baju hazmat", mode="offline",
                                       starts_on=DAY, ends_on=DAY, product=w.suit, target=10, quota=3)
    w.material = material_add(training=training, title="Modul", by=w.tala_officer,
                              file=SimpleUploadedFile("modul.pdf", b"%PDF-1.4 modul"))
    batch = production_record(producer=w.tala_partner, product=w.suit, quantity=5, produced_on=DAY,
                              by=w.tala_officer)
    w.inspection = inspection_record(batch=batch, by=w.health_expert, inspected_on=DAY, sample_size=2, accepted=5,
                                     rejected=0, results=[], photo=_png())
    w.listing = listing_save(by=w.partner_user, partner=w.tala_partner, product=w.suit, title="Baju hazmat",
                             price=Decimal(185000), min_order=5, lead_time_days=7, whatsapp="081251230001",
                             is_published=True, photo=_png())
    return w


@pytest.mark.security
@pytest.mark.parametrize("who", [None, "tala_officer", "admin"])
def test_it_refuses_to_climb_out_of_the_catalogue_folder(uploads, who):
    """``/media/listings/../trainings/<id>/<file>``, as ``curl --path-as-is`` sends it."""
    w = uploads
    client = client_for(getattr(w, who) if who else None)
    for name in (w.material.file.name, w.inspection.photo.name):
        for url in (f"/media/listings/../{name}", f"/media/listings/%2e%2e/{name}", f"/media/listings/.%2E/{name}",
                    f"/media/listings/{w.tala_partner.pk}/../../{name}", f"/media/{name}"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert b"%PDF" not in response.content and b"JFIF" not in response.content


@pytest.mark.security
@pytest.mark.parametrize("spelling", [
    "listings/{partner}/./{file}", "listings//{partner}/{file}", "listings/{partner}//{file}",
    "./listings/{partner}/{file}", "listings/{partner}/x/../{file}", "listings\\{partner}\\{file}",
    "listings/{partner}\\{file}", "/listings/{partner}/{file}", "listings/{partner}/%2e/{file}",
    "listings/{partner}/%252e%252e/{file}", "listings/{partner}/{file}/",
])
def test_a_catalogue_photo_is_served_only_under_its_plain_path(uploads, spelling):
    w = uploads
    partner, file = w.listing.thumbnail.name.split("/")[1:]
    assert client_for(None).get(f"/media/{w.listing.thumbnail.name}").status_code == 200
    assert client_for(None).get("/media/" + spelling.format(partner=partner, file=file)).status_code == 404


def test_catalogue_photos_stay_public(uploads):
    w = uploads
    for field in (w.listing.photo, w.listing.thumbnail, w.listing.thumbnail_small):
        response = client_for(None).get(field.url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert field.url.startswith("/media/listings/")
