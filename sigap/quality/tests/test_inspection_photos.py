"""Inspection photos: re-encoded on upload (no EXIF, no location), stored under a name nobody can guess, and shown
only through an inspection the user may read; /media/ never serves them."""

import datetime
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import client_for
from sigap.people.models import Person
from sigap.production.services import production_record
from sigap.quality.models import Inspection
from sigap.quality.services import inspection_record

DAY = datetime.date(2020, 6, 10)
GPS_IFD = 0x8825


def _jpeg_with_location(name="IMG_20200610_101500.jpg"):
    """A phone's photo: its model and the place it was taken in the EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "Google"
    exif[0x0110] = "Pixel 4a"
    exif[GPS_IFD] = {1: "S", 2: (3.0, 48.0, 12.5), 3: "E", 4: (114.0, 46.0, 30.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 200, 180)).save(buffer, "JPEG", exif=exif)
    assert b"Pixel 4a" in buffer.getvalue()
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _photo_url(inspection):
    return reverse("quality:photo", args=[inspection.pk])


@pytest.fixture
def inspected(world):
    """A Tala participant's batch (not the Tala partner's), inspected by the province's health expert with a
    photo from a phone."""
    w = world
    w.tala_person = Person.objects.create(
        name="Peserta Tala", nik="6301034502010001", sex="P", birth_date=datetime.date(2001, 2, 5),
        address="Jl. Demo", region_id="63.01.03.1004")
    batch = production_record(producer=w.tala_person, product=w.suit, quantity=5, produced_on=DAY,
                              by=w.tala_officer)
    w.inspection = inspection_record(batch=batch, by=w.health_expert, inspected_on=DAY, sample_size=2, accepted=5,
                                     rejected=0, results=[], photo=_jpeg_with_location())
    return w


@pytest.mark.security
@pytest.mark.parametrize("who", ["hsu_officer", "instructor", "partner_user", "agency_user", "outsider"])
def test_it_refuses_an_inspection_photo_to_whoever_may_not_read_the_inspection(inspected, who):
    """Another district's officer, an instructor of another office, a partner (not the producer) and an agency get
    404 both through the inspection and by the file's path under /media/; the Tala officer gets the photo."""
    w = inspected
    client = client_for(getattr(w, who))
    assert client.get(f"/media/{w.inspection.photo.name}").status_code == 404
    assert client.get(_photo_url(w.inspection)).status_code == 404
    assert client_for(w.tala_officer).get(_photo_url(w.inspection)).status_code == 200


@pytest.mark.security
def test_the_region_reads_the_photo_privately(inspected):
    w = inspected
    stored = default_storage.open(w.inspection.photo.name).read()
    for reader in (w.tala_officer, w.province_officer, w.health_expert):
        response = client_for(reader).get(_photo_url(w.inspection))
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content) == stored
        assert "private" in response["Cache-Control"]
    anonymous = client_for(None).get(_photo_url(w.inspection))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url


@pytest.mark.security
def test_an_inspection_photo_keeps_no_exif_and_no_location(inspected):
    w = inspected
    stored = default_storage.open(w.inspection.photo.name).read()
    assert b"Pixel 4a" not in stored and b"Google" not in stored
    with Image.open(io.BytesIO(stored)) as photo:
        assert photo.format == "JPEG" and photo.size == (64, 48)
        exif = photo.getexif()
        assert len(exif) == 0 and not exif.get_ifd(GPS_IFD) and "exif" not in photo.info


@pytest.mark.security
def test_an_inspection_photos_stored_name_is_not_derived_from_the_original_name(inspected):
    w = inspected
    assert re.fullmatch(rf"inspections/{w.inspection.batch_id}/[0-9a-f]{{32}}\.jpg", w.inspection.photo.name)
    assert "IMG_" not in w.inspection.photo.name


def test_the_producing_partner_sees_the_photo_of_its_own_batch(world):
    """As the inspection page itself: a partner reads the inspections of what it produced."""
    w = world
    batch = production_record(producer=w.tala_partner, product=w.suit, quantity=5, produced_on=DAY,
                              by=w.partner_user)
    inspection = inspection_record(batch=batch, by=w.health_expert, inspected_on=DAY, sample_size=2, accepted=5,
                                   rejected=0, results=[], photo=_jpeg_with_location())
    assert client_for(w.partner_user).get(_photo_url(inspection)).status_code == 200


def test_a_photo_stored_under_its_old_name_is_still_served_through_the_inspection(inspected):
    w = inspected
    name = default_storage.save(f"inspections/{w.inspection.batch_id}/foto-lama.png", ContentFile(b"\x89PNG old"))
    Inspection.objects.filter(pk=w.inspection.pk).update(photo=name)
    response = client_for(w.tala_officer).get(_photo_url(w.inspection))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == b"\x89PNG old"
    assert client_for(w.hsu_officer).get(_photo_url(w.inspection)).status_code == 404
    for user in (None, w.tala_officer):
        assert client_for(user).get(f"/media/{name}").status_code == 404


def test_the_inspection_page_and_the_api_point_to_the_photos_own_url(inspected):
    w = inspected
    client = client_for(w.tala_officer)
    page = client.get(reverse("quality:detail", args=[w.inspection.pk])).content.decode()
    assert f'src="{_photo_url(w.inspection)}"' in page and w.inspection.photo.name not in page
    body = client.get(f"/api/v1/inspections/{w.inspection.pk}").json()
    assert body["photo_url"] == f"http://testserver{_photo_url(w.inspection)}"


def test_an_inspection_without_a_photo_or_with_a_lost_one_is_not_found(inspected, world):
    w = inspected
    default_storage.delete(w.inspection.photo.name)
    assert client_for(w.tala_officer).get(_photo_url(w.inspection)).status_code == 404
    Inspection.objects.filter(pk=w.inspection.pk).update(photo="")
    assert client_for(w.tala_officer).get(_photo_url(w.inspection)).status_code == 404
