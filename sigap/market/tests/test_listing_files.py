"""A listing's stored photo files (photo, thumbnail, small thumbnail): the old three go once a replacement or a
deletion commits, never before and never while another row still uses them."""

import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from conftest import client_for
from sigap.market.models import Listing
from sigap.market.services import listing_save


def _png(color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), color).save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


def _files(listing):
    return [listing.photo.name, listing.thumbnail.name, listing.thumbnail_small.name]


def _exist(names):
    return [default_storage.exists(name) for name in names]


class Rollback(Exception):
    pass


@pytest.fixture
def pictured(world):
    """Tala's hazmat suit in the catalogue, with a photo."""
    w = world
    w.listing = listing_save(by=w.partner_user, partner=w.tala_partner, product=w.suit, title="Baju hazmat",
                             price=Decimal(185000), min_order=5, lead_time_days=7, whatsapp="081251230001",
                             is_published=True, photo=_png())
    w.old_files = _files(w.listing)
    assert all(w.old_files) and _exist(w.old_files) == [True] * 3
    return w


@pytest.mark.security
def test_a_replaced_photos_three_files_are_deleted_once_it_commits_and_kept_if_it_rolls_back(
        pictured, django_capture_on_commit_callbacks):
    w = pictured
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Rollback):
        with transaction.atomic():
            listing_save(by=w.partner_user, partner=w.tala_partner, listing=w.listing, photo=_png((0, 90, 0)))
            raise Rollback
    w.listing.refresh_from_db()
    assert _files(w.listing) == w.old_files and _exist(w.old_files) == [True] * 3

    with django_capture_on_commit_callbacks(execute=True):
        listing_save(by=w.partner_user, partner=w.tala_partner, listing=w.listing, photo=_png((0, 90, 0)))
    w.listing.refresh_from_db()
    new_files = _files(w.listing)
    assert set(new_files).isdisjoint(w.old_files)
    assert _exist(w.old_files) == [False] * 3 and _exist(new_files) == [True] * 3
    assert client_for(None).get(f"/media/{w.listing.thumbnail.name}").status_code == 200


@pytest.mark.security
def test_a_photo_replaced_through_the_page_leaves_no_old_file_behind(pictured, django_capture_on_commit_callbacks):
    from django.urls import reverse

    w = pictured
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(w.partner_user).post(reverse("market:listing-edit", args=[w.listing.pk]), {
            "product": w.suit.pk, "title": "Baju hazmat", "description": "", "price": "185.000", "min_order": "5",
            "lead_time_days": "7", "whatsapp": "0812 5123 0001", "is_published": "on", "photo": _png((9, 9, 9))})
    assert response.status_code == 302
    assert _exist(w.old_files) == [False] * 3


@pytest.mark.security
def test_a_deleted_listings_files_are_deleted_once_it_commits(pictured, django_capture_on_commit_callbacks):
    w = pictured
    with django_capture_on_commit_callbacks(execute=True):
        w.listing.delete()
    assert _exist(w.old_files) == [False] * 3


def test_saving_without_a_new_photo_keeps_the_files(pictured, django_capture_on_commit_callbacks):
    w = pictured
    with django_capture_on_commit_callbacks(execute=True):
        listing_save(by=w.partner_user, partner=w.tala_partner, listing=w.listing, title="Baju hazmat spunbond")
    w.listing.refresh_from_db()
    assert _files(w.listing) == w.old_files and _exist(w.old_files) == [True] * 3


def test_a_file_another_listing_still_uses_is_kept(pictured, django_capture_on_commit_callbacks):
    w = pictured
    copy = listing_save(by=w.partner_user, partner=w.tala_partner, product=w.suit, title="Baju hazmat (grosir)",
                        price=Decimal(170000), min_order=50, lead_time_days=7, whatsapp="081251230001",
                        is_published=True)
    Listing.objects.filter(pk=copy.pk).update(photo=w.old_files[0])
    with django_capture_on_commit_callbacks(execute=True):
        listing_save(by=w.partner_user, partner=w.tala_partner, listing=w.listing, photo=_png((0, 0, 200)))
    assert _exist(w.old_files) == [True, False, False]
