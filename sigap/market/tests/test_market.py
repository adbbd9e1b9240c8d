"""The market: what the public catalogue shows, who keeps which listings and sales, what input is refused, photos,
buyers' inquiries (rate limit, honeypot, privacy), sales through the stock ledger, revenue figures and the
catalogue's filters and query count.

Services raise their messages in English (the test language, see the root conftest); pages answer in Indonesian.
"""

import datetime
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from conftest import client_for
from sigap.lib.errors import DomainError
from sigap.market import selectors
from sigap.market.models import BuyerType, Channel, Inquiry, Listing, Sale
from sigap.market.services import listing_save, listing_take_down, sale_record
from sigap.production.services import production_record
from sigap.quality.services import inspection_record
from sigap.stock.ledger import InsufficientStock, on_hand
from sigap.stock.models import Movement, Posting, PostingKind
from sigap.stock.services import location_for_partner

DAY = datetime.date(2020, 6, 1)


# --- helpers -------------------------------------------------------------------------------------------------

def make_listing(by, partner, product, title, price=185000, **extra):
    fields = {"description": "", "min_order": 5, "lead_time_days": 7, "whatsapp": "081251230001",
              "is_published": True, **extra}
    return listing_save(by=by, partner=partner, product=product, title=title, price=Decimal(price), **fields)


def give_stock(w, partner, product, quantity, by):
    """Goods in a partner's workshop, as SIGAP gets them there: production, then an inspection that accepts it."""
    batch = production_record(producer=partner, product=product, quantity=quantity, produced_on=DAY, by=by)
    inspection_record(batch=batch, by=w.health_expert, inspected_on=DAY, sample_size=1, accepted=quantity,
                      rejected=0, results=[])


def png(width=40, height=30, color=(200, 30, 30), fmt="PNG", name="foto.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def indonesian(text):
    with translation.override("id"):
        return translation.gettext(text)


def listing_post(**overrides):
    """What the listing form posts, in Indonesian number format."""
    data = {"product": "", "title": "Baju hazmat spunbond", "description": "Coverall dengan tudung.",
            "price": "185.000", "min_order": "5", "lead_time_days": "7", "whatsapp": "0812 5123 0001",
            "is_published": "on"}
    data.update(overrides)
    return data


def inquiry_post(**overrides):
    data = {"name": "Apotek Sehat", "phone": "0813 5000 9911", "quantity": "50", "message": "Bisa kirim?",
            "website": ""}
    data.update(overrides)
    return data


def media_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def catalogue_titles(response):
    return sorted(listing.title for listing in response.context["page"])


@pytest.fixture
def market(world):
    """A shown listing of each Kalsel partner: Tala's hazmat suit (kept by its own user), HSU's masks."""
    w = world
    w.tala_listing = make_listing(w.partner_user, w.tala_partner, w.suit, "Baju hazmat spunbond")
    w.hsu_listing = make_listing(w.hsu_officer, w.hsu_partner, w.mask, "Masker sasirangan", price=15000,
                                 min_order=10, whatsapp="081351230005")
    return w


# --- publishing ----------------------------------------------------------------------------------------------

def test_only_shown_listings_of_active_partners_are_public(market):
    w = market
    hidden = make_listing(w.partner_user, w.tala_partner, w.mask, "Masker polos disembunyikan", is_published=False)
    taken = make_listing(w.partner_user, w.tala_partner, w.mask, "Masker palsu diturunkan")
    listing_take_down(listing=taken, by=w.tala_officer, reason="Foto bukan produk sendiri")
    w.hsu_partner.status = "inactive"
    w.hsu_partner.save()

    anonymous = client_for(None)
    response = anonymous.get(reverse("market:catalogue"))
    assert response.status_code == 200
    assert catalogue_titles(response) == ["Baju hazmat spunbond"]
    html = response.content.decode()
    for gone in (hidden, taken, w.hsu_listing):
        assert gone.title not in html
        assert anonymous.get(gone.get_absolute_url()).status_code == 404
        # nor can a buyer write to it
        assert anonymous.post(gone.get_absolute_url(), inquiry_post()).status_code == 404
    assert not Inquiry.objects.exists()
    assert anonymous.get(w.tala_listing.get_absolute_url()).status_code == 200


def test_the_partner_sees_why_its_listing_was_taken_down_and_cannot_put_it_back_itself(market):
    w = market
    officer = client_for(w.tala_officer)
    response = officer.post(reverse("market:listing-take-down", args=[w.tala_listing.pk]),
                            {"reason": "Harga tidak wajar, mohon periksa"})
    assert response.status_code == 302
    w.tala_listing.refresh_from_db()
    assert w.tala_listing.taken_down and w.tala_listing.take_down_reason == "Harga tidak wajar, mohon periksa"

    partner = client_for(w.partner_user)
    edit_url = reverse("market:listing-edit", args=[w.tala_listing.pk])
    page = partner.get(edit_url)
    assert page.status_code == 200
    assert "Harga tidak wajar, mohon periksa" in page.content.decode()
    assert "Harga tidak wajar, mohon periksa" in partner.get(reverse("market:my-listings")).content.decode()

    # Saving the listing again (even asking to show it) does not undo the office's decision.
    saved = partner.post(edit_url, listing_post(product=w.suit.pk, price="150.000"))
    assert saved.status_code == 302
    w.tala_listing.refresh_from_db()
    assert w.tala_listing.price == 150000 and w.tala_listing.taken_down
    assert client_for(None).get(w.tala_listing.get_absolute_url()).status_code == 404

    # Nor can the partner restore it through the take-down route: only the office can.
    partner.post(reverse("market:listing-take-down", args=[w.tala_listing.pk]), {"action": "restore"})
    w.tala_listing.refresh_from_db()
    assert w.tala_listing.taken_down

    officer.post(reverse("market:listing-take-down", args=[w.tala_listing.pk]), {"action": "restore"})
    w.tala_listing.refresh_from_db()
    assert not w.tala_listing.taken_down and w.tala_listing.take_down_reason == ""
    assert client_for(None).get(w.tala_listing.get_absolute_url()).status_code == 200


def test_a_take_down_needs_a_reason(market):
    w = market
    with pytest.raises(DomainError, match="reason"):
        listing_take_down(listing=w.tala_listing, by=w.tala_officer, reason="   ")
    client_for(w.tala_officer).post(reverse("market:listing-take-down", args=[w.tala_listing.pk]), {"reason": ""})
    w.tala_listing.refresh_from_db()
    assert not w.tala_listing.taken_down


# --- scoping -------------------------------------------------------------------------------------------------

def test_a_partner_user_reaches_only_its_own_listings(market):
    w = market
    client = client_for(w.partner_user)
    mine = client.get(reverse("market:my-listings"))
    assert [listing.title for listing in mine.context["listings"]] == ["Baju hazmat spunbond"]

    other = reverse("market:listing-edit", args=[w.hsu_listing.pk])
    assert client.get(other).status_code == 404
    assert client.post(other, listing_post(product=w.mask.pk, title="Dibajak", price="1")).status_code == 404
    w.hsu_listing.refresh_from_db()
    assert w.hsu_listing.title == "Masker sasirangan" and w.hsu_listing.price == 15000


def test_listing_save_refuses_another_partners_business(market):
    w = market
    with pytest.raises(DomainError, match="your own business"):
        make_listing(w.partner_user, w.hsu_partner, w.mask, "Masker atas nama orang lain")
    with pytest.raises(DomainError, match="your own business"):
        # its own partner, but another partner's listing
        listing_save(by=w.partner_user, partner=w.tala_partner, listing=w.hsu_listing, product=w.mask,
                     title="Dibajak", price=Decimal(1))
    with pytest.raises(DomainError, match="your own business"):
        make_listing(w.hsu_officer, w.tala_partner, w.suit, "Di luar wilayah")
    with pytest.raises(DomainError, match="your own business"):
        make_listing(w.outsider, w.tala_partner, w.suit, "Di luar provinsi")
    assert Listing.objects.count() == 2
    w.hsu_listing.refresh_from_db()
    assert w.hsu_listing.title == "Masker sasirangan"


@pytest.mark.parametrize("who", ["hsu_officer", "outsider"])
def test_an_officer_of_another_district_cannot_take_a_listing_down(market, who):
    w = market
    officer = getattr(w, who)
    with pytest.raises(DomainError, match="assisting office"):
        listing_take_down(listing=w.tala_listing, by=officer, reason="Bukan wilayah saya")
    response = client_for(officer).post(reverse("market:listing-take-down", args=[w.tala_listing.pk]),
                                        {"reason": "Bukan wilayah saya"})
    assert response.status_code == 404
    w.tala_listing.refresh_from_db()
    assert not w.tala_listing.taken_down and w.tala_listing.take_down_reason == ""


def test_the_partner_itself_cannot_take_its_listing_down(market):
    w = market
    with pytest.raises(DomainError, match="assisting office"):
        listing_take_down(listing=w.tala_listing, by=w.partner_user, reason="x")
    client_for(w.partner_user).post(reverse("market:listing-take-down", args=[w.tala_listing.pk]), {"reason": "x"})
    w.tala_listing.refresh_from_db()
    assert not w.tala_listing.taken_down


def test_a_partner_user_reaches_only_its_own_sales(market):
    w = market
    give_stock(w, w.tala_partner, w.suit, 10, w.partner_user)
    give_stock(w, w.hsu_partner, w.mask, 10, w.hsu_officer)
    sale_record(partner=w.tala_partner, product=w.suit, sold_on=DAY, quantity=2, unit_price=Decimal(180000),
                channel="offline", buyer_type="individual", by=w.partner_user)
    sale_record(partner=w.hsu_partner, product=w.mask, sold_on=DAY, quantity=7, unit_price=Decimal(15000),
                channel="marketplace", marketplace="Shopee", buyer_type="business", by=w.hsu_officer)

    with pytest.raises(DomainError, match="your own business"):
        sale_record(partner=w.hsu_partner, product=w.mask, sold_on=DAY, quantity=1, unit_price=Decimal(15000),
                    channel="offline", buyer_type="individual", by=w.partner_user)
    client = client_for(w.partner_user)
    # the form offers only its own business: another partner's id is not a valid choice
    refused = client.post(reverse("market:sale-create"), {
        "partner": w.hsu_partner.pk, "product": w.mask.pk, "sold_on": "2020-06-01", "quantity": "1",
        "unit_price": "15.000", "channel": "offline", "buyer_type": "individual"})
    assert refused.status_code == 200 and "partner" in refused.context["form"].errors
    assert Sale.objects.count() == 2

    page = client.get(reverse("market:sales"))
    assert [(s.partner_id, s.quantity) for s in page.context["page"]] == [(w.tala_partner.pk, 2)]
    assert page.context["total"] == {"revenue": Decimal(360000), "units": 2}
    assert "Sasirangan Amuntai Indah" not in page.content.decode()


# --- bad input -----------------------------------------------------------------------------------------------

BAD_LISTING_INPUT = [
    pytest.param({"price": Decimal(0)}, "price", id="price-0"),
    pytest.param({"price": Decimal(-5000)}, "price", id="price-negative"),
    pytest.param({"price": Decimal(100_000_001)}, "price", id="price-over-100-million"),
    pytest.param({"min_order": 0}, "min_order", id="min-order-0"),
    pytest.param({"whatsapp": "(0511) 3355123"}, "whatsapp", id="whatsapp-landline"),
    pytest.param({"whatsapp": "12345"}, "whatsapp", id="whatsapp-nonsense"),
    pytest.param({"product": "fabric"}, "product", id="raw-material"),
]


@pytest.mark.parametrize("bad, field", BAD_LISTING_INPUT)
def test_listing_save_refuses_bad_input_and_saves_nothing(market, bad, field):
    w = market
    fields = {"product": w.suit, "title": "Baju hazmat baru", "price": Decimal(185000), "min_order": 5,
              "lead_time_days": 7, "whatsapp": "081251230001", "is_published": True, **bad}
    if fields["product"] == "fabric":
        fields["product"] = w.fabric
    with pytest.raises(DomainError) as refused:
        listing_save(by=w.partner_user, partner=w.tala_partner, **fields)
    assert refused.value.field == field
    assert Listing.objects.count() == 2
    # changing an existing listing with the same value is refused too, and leaves it as it was
    with pytest.raises(DomainError):
        listing_save(by=w.partner_user, partner=w.tala_partner, listing=w.tala_listing, **fields)
    w.tala_listing.refresh_from_db()
    assert (w.tala_listing.price, w.tala_listing.min_order, w.tala_listing.whatsapp, w.tala_listing.product) == (
        185000, 5, "+6281251230001", w.suit)


@pytest.mark.parametrize("bad, field", [
    pytest.param({"price": "0"}, "price", id="price-0"),
    pytest.param({"price": "-5.000"}, "price", id="price-negative"),
    pytest.param({"price": "100.000.001"}, "price", id="price-over-100-million"),
    pytest.param({"min_order": "0"}, "min_order", id="min-order-0"),
    pytest.param({"whatsapp": "(0511) 3355123"}, "whatsapp", id="whatsapp-landline"),
])
def test_the_listing_form_refuses_bad_input_and_saves_nothing(market, bad, field):
    w = market
    response = client_for(w.partner_user).post(reverse("market:listing-create"),
                                               listing_post(product=w.suit.pk, **bad))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Listing.objects.count() == 2


def test_the_listing_form_takes_indonesian_prices_and_normalises_the_whatsapp_number(market):
    w = market
    response = client_for(w.partner_user).post(reverse("market:listing-create"),
                                               listing_post(product=w.mask.pk, title="Masker kain", price="12.500",
                                                            whatsapp="0812-5123-0001"))
    assert response.status_code == 302
    listing = Listing.objects.get(title="Masker kain")
    assert listing.partner == w.tala_partner and listing.price == 12500 and listing.whatsapp == "+6281251230001"


def _not_an_image():
    return SimpleUploadedFile("foto.jpg", b"%PDF-1.4 this is not a photo " * 20, content_type="image/jpeg")


@pytest.mark.parametrize("upload", [
    pytest.param(_not_an_image, id="not-an-image"),
    pytest.param(lambda: png(fmt="GIF", name="foto.gif"), id="gif"),
    pytest.param("oversized", id="oversized"),
])
def test_bad_uploads_are_refused_and_nothing_is_stored(market, settings, monkeypatch, upload):
    w = market
    if upload == "oversized":
        monkeypatch.setattr("sigap.lib.images.MAX_BYTES", 1000)
        upload = _noisy_png

    with pytest.raises(DomainError) as refused:
        make_listing(w.partner_user, w.tala_partner, w.suit, "Dengan foto", photo=upload())
    assert refused.value.field == "photo"
    response = client_for(w.partner_user).post(reverse("market:listing-create"),
                                               {**listing_post(product=w.suit.pk, title="Dengan foto"),
                                                "photo": upload()})
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    # on an existing listing too
    with pytest.raises(DomainError):
        listing_save(by=w.partner_user, partner=w.tala_partner, listing=w.tala_listing, photo=upload())
    w.tala_listing.refresh_from_db()
    assert not w.tala_listing.photo and not w.tala_listing.thumbnail
    assert not Listing.objects.filter(title="Dengan foto").exists()
    assert media_files(settings) == []


def _noisy_png():
    """A valid PNG of a few kilobytes (noise does not compress)."""
    import os

    image = Image.frombytes("RGB", (64, 64), os.urandom(64 * 64 * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    assert buffer.tell() > 1000
    return SimpleUploadedFile("besar.png", buffer.getvalue(), content_type="image/png")


def test_photos_are_resized_and_reencoded_as_jpeg(market, settings):
    w = market
    response = client_for(w.partner_user).post(
        reverse("market:listing-edit", args=[w.tala_listing.pk]),
        {**listing_post(product=w.suit.pk), "photo": png(3000, 2000, color=(30, 120, 200), name="besar.png")})
    assert response.status_code == 302
    w.tala_listing.refresh_from_db()
    with Image.open(w.tala_listing.photo.path) as photo:
        assert photo.format == "JPEG"
        assert max(photo.size) <= 1200 and photo.size == (1200, 800)
    with Image.open(w.tala_listing.thumbnail.path) as thumbnail:
        assert thumbnail.format == "JPEG"
        assert max(thumbnail.size) <= 480 and thumbnail.size == (480, 320)
    assert w.tala_listing.photo.name.endswith(".jpg") and w.tala_listing.thumbnail.name.endswith("-480.jpg")
    assert w.tala_listing.photo.name.startswith(f"listings/{w.tala_partner.pk}/")

    catalogue = client_for(None).get(reverse("market:catalogue")).content.decode()
    with Image.open(w.tala_listing.thumbnail_small.path) as small:
        assert small.format == "JPEG" and small.size == (240, 160)
    # the grid takes the 240 px one, or the 480 px one where the screen needs it
    assert f'src="{w.tala_listing.thumbnail_small.url}"' in catalogue and 'loading="lazy"' in catalogue
    assert f'{w.tala_listing.thumbnail.url} 480w' in catalogue
    assert w.tala_listing.photo.url not in catalogue  # the full photo only on the product page
    product_page = client_for(None).get(w.tala_listing.get_absolute_url()).content.decode()
    # the phone gets the thumbnail; larger screens pick the full photo from srcset; above the fold, not lazy
    assert f'src="{w.tala_listing.thumbnail.url}"' in product_page
    assert f'{w.tala_listing.photo.url} 1200w' in product_page and 'loading="lazy"' not in product_page


def test_an_uploaded_photo_can_be_downloaded(market):
    w = market
    listing_save(by=w.partner_user, partner=w.tala_partner, listing=w.tala_listing, photo=png(600, 400))
    w.tala_listing.refresh_from_db()
    assert client_for(None).get(w.tala_listing.thumbnail.url).status_code == 200


# --- inquiries -----------------------------------------------------------------------------------------------

def test_a_buyer_sends_an_inquiry_without_an_account(market):
    w = market
    url = w.tala_listing.get_absolute_url()
    response = client_for(None).post(url, inquiry_post(), REMOTE_ADDR="10.1.1.1", follow=True)
    assert response.redirect_chain == [(url, 302)]
    inquiry = Inquiry.objects.get()
    assert (inquiry.listing, inquiry.name, inquiry.phone, inquiry.quantity, inquiry.message) == (
        w.tala_listing, "Apotek Sehat", "+6281350009911", 50, "Bisa kirim?")
    assert inquiry.answered_at is None
    assert "Konveksi Tuntung Pandang" in response.content.decode()  # "your message was sent to …"


def test_an_invalid_inquiry_is_refused(market):
    w = market
    client = client_for(None)
    for bad in ({"phone": "12345"}, {"quantity": "0"}, {"name": ""}):
        response = client.post(w.tala_listing.get_absolute_url(), inquiry_post(**bad))
        assert response.status_code == 200 and response.context["form"].errors
    assert not Inquiry.objects.exists()


def test_one_buyer_sends_at_most_five_inquiries_an_hour_from_one_address(market):
    w = market
    client = client_for(None)
    url = w.tala_listing.get_absolute_url()
    for n in range(5):
        assert client.post(url, inquiry_post(name=f"Pembeli {n}"), REMOTE_ADDR="10.9.9.9").status_code == 302
    # the same phone number however it is written, about another listing
    sixth = client.post(w.hsu_listing.get_absolute_url(), inquiry_post(name="Pembeli 6", phone="+62 813-5000-9911"),
                        REMOTE_ADDR="10.9.9.9")
    assert sixth.status_code == 200
    assert sixth.context["form"].non_field_errors()
    english = "Too many messages from this phone number. Please try again in an hour."
    message = indonesian(english)
    assert message != english and message in sixth.content.decode()
    assert Inquiry.objects.count() == 5 and not Inquiry.objects.filter(name="Pembeli 6").exists()

    other = client.post(url, inquiry_post(name="Pembeli lain"), REMOTE_ADDR="10.9.9.10")
    assert other.status_code == 302
    assert Inquiry.objects.count() == 6


@pytest.mark.security
def test_a_second_buyer_behind_the_same_address_sends_an_inquiry_after_the_first_used_their_limit(market):
    """A mobile carrier puts many buyers behind one address: one buyer's limit is not everybody's."""
    w = market
    client = client_for(None)
    url = w.tala_listing.get_absolute_url()
    for n in range(5):
        assert client.post(url, inquiry_post(name=f"Pembeli {n}"), REMOTE_ADDR="10.9.9.9").status_code == 302
    assert client.post(url, inquiry_post(name="Pembeli 6"), REMOTE_ADDR="10.9.9.9").status_code == 200
    second = client.post(url, inquiry_post(name="Toko Masker Banjar", phone="0852 4800 1234"),
                         REMOTE_ADDR="10.9.9.9")
    assert second.status_code == 302
    sent = Inquiry.objects.get(name="Toko Masker Banjar")
    assert (sent.listing, sent.phone) == (w.tala_listing, "+6285248001234")
    assert Inquiry.objects.count() == 6


@pytest.mark.security
def test_one_address_sends_at_most_thirty_inquiries_an_hour_whatever_the_phone_numbers(market):
    w = market
    client = client_for(None)
    url = w.tala_listing.get_absolute_url()
    for n in range(30):
        sent = client.post(url, inquiry_post(name=f"Pembeli {n}", phone=f"0813 5100 {n:04d}"), REMOTE_ADDR="10.9.9.9")
        assert sent.status_code == 302
    refused = client.post(url, inquiry_post(name="Pembeli 31", phone="0813 5100 9999"), REMOTE_ADDR="10.9.9.9")
    assert refused.status_code == 200
    english = "Too many messages from your connection. Please try again in an hour."
    assert indonesian(english) in refused.content.decode()
    assert Inquiry.objects.count() == 30 and not Inquiry.objects.filter(name="Pembeli 31").exists()
    elsewhere = client.post(url, inquiry_post(name="Pembeli 31", phone="0813 5100 9999"), REMOTE_ADDR="10.9.9.10")
    assert elsewhere.status_code == 302


def test_an_inquiry_refused_for_a_bad_phone_number_does_not_count(market):
    w = market
    client = client_for(None)
    url = w.tala_listing.get_absolute_url()
    for _ in range(6):
        assert client.post(url, inquiry_post(phone="12345"), REMOTE_ADDR="10.9.9.9").status_code == 200
    assert client.post(url, inquiry_post(), REMOTE_ADDR="10.9.9.9").status_code == 302


def test_the_honeypot_field_refuses_bots_and_saves_nothing(market):
    w = market
    response = client_for(None).post(w.tala_listing.get_absolute_url(),
                                     inquiry_post(website="http://spam.example"), REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert indonesian("Your message could not be sent.") in response.content.decode()
    assert not Inquiry.objects.exists()
    # and the field is there for bots but hidden from people
    page = client_for(None).get(w.tala_listing.get_absolute_url()).content.decode()
    assert 'name="website"' in page and 'tabindex="-1"' in page


BUYER_NAME = "Apotek Rahasia Sejahtera"
BUYER_PHONES = ["+6281399991234", "081399991234", "0813-9999-1234", "81399991234"]


def test_buyers_name_and_phone_never_appear_on_public_pages(market):
    w = market
    client = client_for(None)
    assert client.post(w.tala_listing.get_absolute_url(),
                       inquiry_post(name=BUYER_NAME, phone="0813 9999 1234", message="Pesan rahasia"),
                       REMOTE_ADDR="10.3.3.3").status_code == 302
    public = [client.get(reverse("market:catalogue")), client.get(w.tala_listing.get_absolute_url()),
              client.get(reverse("market:catalogue"), {"q": "hazmat"})]
    for response in public:
        html = response.content.decode()
        assert response.status_code == 200
        assert BUYER_NAME not in html and "Pesan rahasia" not in html
        assert not [phone for phone in BUYER_PHONES if phone in html]

    own = client_for(w.partner_user).get(reverse("market:inquiries")).content.decode()
    assert BUYER_NAME in own and "+6281399991234" in own and "Pesan rahasia" in own
    office = client_for(w.tala_officer).get(reverse("market:inquiries")).content.decode()
    assert BUYER_NAME in office
    other_district = client_for(w.hsu_officer).get(reverse("market:inquiries")).content.decode()
    assert BUYER_NAME not in other_district


@pytest.mark.parametrize("who", ["instructor", "health_expert"])
def test_instructors_and_health_experts_do_not_read_buyers_personal_data(market, who):
    w = market
    client_for(None).post(w.hsu_listing.get_absolute_url(), inquiry_post(name=BUYER_NAME, phone="0813 9999 1234"),
                          REMOTE_ADDR="10.4.4.4")
    assert Inquiry.objects.filter(listing=w.hsu_listing).exists()
    response = client_for(getattr(w, who)).get(reverse("market:inquiries"))
    html = response.content.decode() if response.status_code == 200 else ""
    assert BUYER_NAME not in html and "+6281399991234" not in html


# --- sales ---------------------------------------------------------------------------------------------------

def test_a_sale_takes_the_goods_out_of_the_partners_workshop(market):
    w = market
    give_stock(w, w.tala_partner, w.suit, 20, w.partner_user)
    workshop = location_for_partner(w.tala_partner)
    assert on_hand(w.suit, workshop) == 20

    sale = sale_record(partner=w.tala_partner, product=w.suit, sold_on=DAY, quantity=3,
                       unit_price=Decimal(185000), channel=Channel.MARKETPLACE, marketplace=" Tokopedia ",
                       buyer_type=BuyerType.HEALTH, by=w.partner_user)
    assert on_hand(w.suit, workshop) == 17
    movement = Movement.objects.get(posting__kind=PostingKind.SALE)
    assert (movement.item, movement.location, movement.quantity, movement.balance_after) == (w.suit, workshop, -3, 17)
    assert movement.posting == sale.posting and movement.posting.document == sale
    assert movement.posting.created_by == w.partner_user
    assert sale.amount == Decimal(555000) and sale.marketplace == "Tokopedia"


def test_a_sale_through_the_form(market):
    w = market
    give_stock(w, w.tala_partner, w.suit, 20, w.partner_user)
    response = client_for(w.partner_user).post(reverse("market:sale-create"), {
        "partner": w.tala_partner.pk, "product": w.suit.pk, "sold_on": "2020-06-02", "quantity": "4",
        "unit_price": "180.000", "channel": "offline", "buyer_type": "individual"})
    assert response.status_code == 302
    sale = Sale.objects.get()
    assert (sale.quantity, sale.unit_price, sale.recorded_by) == (4, 180000, w.partner_user)
    assert on_hand(w.suit, location_for_partner(w.tala_partner)) == 16


def _nothing_sold(w, stock):
    assert not Sale.objects.exists()
    assert not Posting.objects.filter(kind=PostingKind.SALE).exists()
    assert on_hand(w.suit, location_for_partner(w.tala_partner)) == stock


def test_a_sale_larger_than_the_stock_is_refused_and_saves_nothing(market):
    w = market
    give_stock(w, w.tala_partner, w.suit, 20, w.partner_user)
    with pytest.raises(InsufficientStock) as refused:
        sale_record(partner=w.tala_partner, product=w.suit, sold_on=DAY, quantity=21, unit_price=Decimal(185000),
                    channel="offline", buyer_type="individual", by=w.partner_user)
    assert refused.value.shortfalls[0].available == 20 and refused.value.shortfalls[0].requested == 21
    _nothing_sold(w, 20)
    with pytest.raises(InsufficientStock):  # HSU's masks were never in Tala's workshop
        sale_record(partner=w.tala_partner, product=w.mask, sold_on=DAY, quantity=1, unit_price=Decimal(15000),
                    channel="offline", buyer_type="individual", by=w.partner_user)
    _nothing_sold(w, 20)

    response = client_for(w.partner_user).post(reverse("market:sale-create"), {
        "partner": w.tala_partner.pk, "product": w.suit.pk, "sold_on": "2020-06-02", "quantity": "21",
        "unit_price": "185.000", "channel": "offline", "buyer_type": "individual"})
    assert response.status_code == 200
    assert indonesian("Not enough stock. %(details)s.").split(".")[0] in response.content.decode()
    _nothing_sold(w, 20)


@pytest.mark.parametrize("bad, field", [
    pytest.param({"sold_on": "tomorrow"}, "sold_on", id="future-date"),
    pytest.param({"quantity": 0}, "quantity", id="quantity-0"),
    pytest.param({"unit_price": Decimal(0)}, "unit_price", id="price-0"),
    pytest.param({"unit_price": Decimal(100_000_001)}, "unit_price", id="price-too-high"),
    pytest.param({"product": "fabric"}, "product", id="raw-material"),
])
def test_a_sale_with_bad_input_is_refused_and_saves_nothing(market, bad, field):
    w = market
    give_stock(w, w.tala_partner, w.suit, 20, w.partner_user)
    fields = {"sold_on": DAY, "quantity": 2, "unit_price": Decimal(185000), "product": w.suit, **bad}
    if fields["sold_on"] == "tomorrow":
        fields["sold_on"] = timezone.localdate() + datetime.timedelta(days=1)
    if fields["product"] == "fabric":
        fields["product"] = w.fabric
    with pytest.raises(DomainError) as refused:
        sale_record(partner=w.tala_partner, channel="offline", buyer_type="individual", by=w.partner_user, **fields)
    assert refused.value.field == field
    _nothing_sold(w, 20)


def test_the_sale_form_refuses_a_future_date(market):
    w = market
    give_stock(w, w.tala_partner, w.suit, 20, w.partner_user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(w.partner_user).post(reverse("market:sale-create"), {
        "partner": w.tala_partner.pk, "product": w.suit.pk, "sold_on": tomorrow.isoformat(), "quantity": "1",
        "unit_price": "185.000", "channel": "offline", "buyer_type": "individual"})
    assert response.status_code == 200
    assert response.context["form"].errors["sold_on"] == [indonesian("The date cannot be in the future.")]
    _nothing_sold(w, 20)


def test_sale_record_refuses_an_unknown_channel(market):
    w = market
    give_stock(w, w.tala_partner, w.suit, 20, w.partner_user)
    with pytest.raises(DomainError):
        sale_record(partner=w.tala_partner, product=w.suit, sold_on=DAY, quantity=1, unit_price=Decimal(1000),
                    channel="tiktok", buyer_type="alien", by=w.partner_user)
    assert not Sale.objects.exists()


@pytest.mark.parametrize("year", ["0", "10000"])
def test_a_nonsense_year_on_the_sales_page_is_not_a_server_error(market, year):
    client = client_for(market.partner_user)
    client.raise_request_exception = False
    assert client.get(reverse("market:sales"), {"year": year}).status_code == 200


def test_the_sales_page_names_channels_by_their_labels(market):
    w = market
    give_stock(w, w.tala_partner, w.suit, 20, w.partner_user)
    sale_record(partner=w.tala_partner, product=w.suit, sold_on=DAY, quantity=1, unit_price=Decimal(1000),
                channel=Channel.OWN_ONLINE, marketplace="Instagram", buyer_type="individual", by=w.partner_user)
    html = client_for(w.partner_user).get(reverse("market:sales")).content.decode()
    assert "<td>own_online</td>" not in html


# --- revenue -------------------------------------------------------------------------------------------------

def _python_revenue(sales, key):
    totals = defaultdict(lambda: [Decimal(0), 0])
    for sale in sales:
        totals[key(sale)][0] += sale.unit_price * sale.quantity
        totals[key(sale)][1] += sale.quantity
    return {k: (revenue, units) for k, (revenue, units) in totals.items()}


def _rows(rows, field):
    as_dict = {}
    for row in rows:
        key = row[field]
        if isinstance(key, datetime.datetime):
            key = key.date()
        as_dict[key] = (row["revenue"], row["units"])
    revenues = [row["revenue"] for row in rows]
    assert revenues == sorted(revenues, reverse=True) or field == "month"
    return as_dict


def _check_revenue(sales_qs):
    sales = list(sales_qs)
    assert _rows(selectors.revenue_by(sales_qs, "partner__name"), "partner__name") == _python_revenue(
        sales, lambda s: s.partner.name)
    assert _rows(selectors.revenue_by(sales_qs, "product__name"), "product__name") == _python_revenue(
        sales, lambda s: s.product.name)
    assert _rows(selectors.revenue_by(sales_qs, "channel"), "channel") == _python_revenue(sales, lambda s: s.channel)
    by_month = selectors.revenue_by_month(sales_qs)
    assert _rows(by_month, "month") == _python_revenue(sales, lambda s: s.sold_on.replace(day=1))
    months = [row["month"] for row in by_month]
    assert months == sorted(months)
    total = selectors.revenue_total(sales_qs)
    assert (total["revenue"] or 0, total["units"] or 0) == (
        sum((s.unit_price * s.quantity for s in sales), Decimal(0)), sum(s.quantity for s in sales))


@pytest.fixture
def stocked(market):
    """Both Kalsel partners hold both products, enough for any example below."""
    w = market
    for partner, by in ((w.tala_partner, w.partner_user), (w.hsu_partner, w.hsu_officer)):
        for product in (w.suit, w.mask):
            give_stock(w, partner, product, 1000, by)
    return w


sales_strategy = st.lists(
    st.tuples(
        st.sampled_from(["tala", "hsu"]),
        st.sampled_from(["suit", "mask"]),
        st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2021, 12, 31)),
        st.integers(min_value=1, max_value=50),
        st.one_of(st.integers(min_value=1, max_value=500_000), st.sampled_from([1, 99_999_999, 100_000_000])),
        st.sampled_from(Channel.values),
    ),
    max_size=12,
)


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=sales_strategy)
def test_revenue_figures_equal_sums_over_the_sale_rows(stocked, rows):
    w = stocked
    partners = {"tala": (w.tala_partner, w.partner_user), "hsu": (w.hsu_partner, w.hsu_officer)}
    products = {"suit": w.suit, "mask": w.mask}
    with transaction.atomic():
        for partner_key, product_key, day, quantity, price, channel in rows:
            partner, by = partners[partner_key]
            sale_record(partner=partner, product=products[product_key], sold_on=day, quantity=quantity,
                        unit_price=Decimal(price), channel=channel, buyer_type="individual", by=by)
        everything = Sale.objects.select_related("partner", "product")
        assert everything.count() == len(rows)
        _check_revenue(everything)
        # what each user may see is summed the same way
        _check_revenue(Sale.objects.visible_to(w.tala_officer).select_related("partner", "product"))
        _check_revenue(Sale.objects.visible_to(w.partner_user).select_related("partner", "product"))
        assert set(Sale.objects.visible_to(w.partner_user).values_list("partner_id", flat=True)) <= {
            w.tala_partner.pk}
        transaction.set_rollback(True)


def test_the_sales_page_shows_the_revenue_of_what_the_user_may_see(stocked):
    w = stocked
    for partner, product, by, day, quantity, price, channel in [
        (w.tala_partner, w.suit, w.partner_user, datetime.date(2020, 6, 2), 3, 185000, "offline"),
        (w.tala_partner, w.mask, w.partner_user, datetime.date(2020, 7, 9), 100, 8000, "marketplace"),
        (w.hsu_partner, w.mask, w.hsu_officer, datetime.date(2020, 6, 20), 200, 15000, "government"),
    ]:
        sale_record(partner=partner, product=product, sold_on=day, quantity=quantity, unit_price=Decimal(price),
                    channel=channel, buyer_type="individual", by=by)
    page = client_for(w.tala_officer).get(reverse("market:sales"))
    assert page.context["total"] == {"revenue": Decimal(3 * 185000 + 100 * 8000), "units": 103}
    assert [(r["channel"], r["revenue"]) for r in page.context["by_channel"]] == [
        ("marketplace", Decimal(800000)), ("offline", Decimal(555000))]
    assert "Rp 1.355.000" in page.content.decode()
    province = client_for(w.province_officer).get(reverse("market:sales"), {"year": "2020"})
    assert province.context["total"]["revenue"] == Decimal(555000 + 800000 + 3000000)
    assert client_for(w.tala_officer).get(reverse("market:sales"), {"year": "2021"}).context["total"] == {
        "revenue": None, "units": None}


# --- the catalogue's filters ---------------------------------------------------------------------------------

@pytest.fixture
def catalogue(market):
    w = market
    w.plain = make_listing(w.partner_user, w.tala_partner, w.mask, "Masker kain polos", price=8000,
                           description="Katun tiga lapis")
    return w


@pytest.mark.parametrize("query, expected", [
    ({}, ["Baju hazmat spunbond", "Masker kain polos", "Masker sasirangan"]),
    ({"q": "sasirangan"}, ["Masker sasirangan"]),
    ({"q": "TIGA LAPIS"}, ["Masker kain polos"]),  # description, case-insensitive
    ({"q": "tuntung"}, ["Baju hazmat spunbond", "Masker kain polos"]),  # partner name
    ({"product": "mask"}, ["Masker kain polos", "Masker sasirangan"]),
    ({"regency": "63.08"}, ["Masker sasirangan"]),
    ({"regency": "63.01"}, ["Baju hazmat spunbond", "Masker kain polos"]),
    ({"price_max": "15.000"}, ["Masker kain polos", "Masker sasirangan"]),  # Indonesian thousands
    ({"price_max": "15000"}, ["Masker kain polos", "Masker sasirangan"]),
    ({"price_max": "14999"}, ["Masker kain polos"]),
    ({"q": "masker", "regency": "63.01", "price_max": "10.000"}, ["Masker kain polos"]),
    ({"q": "tidak ada"}, []),
])
def test_the_catalogue_filters(catalogue, query, expected):
    w = catalogue
    if query.get("product") == "mask":
        query = {**query, "product": w.mask.pk}
    response = client_for(None).get(reverse("market:catalogue"), query)
    assert response.status_code == 200
    assert catalogue_titles(response) == expected
    assert not response.context["filters"].errors


@pytest.mark.parametrize("query, field", [
    ({"price_max": "abc"}, "price_max"),
    ({"price_max": "-1"}, "price_max"),
    ({"price_max": "NaN"}, "price_max"),
    ({"price_max": "1e400"}, "price_max"),
    ({"regency": "99.99"}, "regency"),
    ({"regency": "63.01.03"}, "regency"),  # a district, not a regency
    ({"regency": "64.01"}, "regency"),  # a regency without listings is not offered
    ({"product": "abc"}, "product"),
    ({"product": "99999999999999999999"}, "product"),
    ({"product": "fabric"}, "product"),  # a raw material is not a product
    ({"q": "x" * 101}, "q"),
])
def test_a_nonsense_filter_is_ignored_with_a_message(catalogue, query, field):
    w = catalogue
    if query.get("product") == "fabric":
        query = {"product": w.fabric.pk}
    response = client_for(None).get(reverse("market:catalogue"), {**query, "page": "abc"})
    assert response.status_code == 200
    assert catalogue_titles(response) == ["Baju hazmat spunbond", "Masker kain polos", "Masker sasirangan"]
    errors = response.context["filters"].errors
    assert list(errors) == [field]
    html = response.content.decode()
    assert 'class="error"' in html and str(errors[field][0]) in html


def test_a_nonsense_filter_does_not_drop_the_sensible_ones(catalogue):
    response = client_for(None).get(reverse("market:catalogue"), {"q": "masker", "price_max": "abc",
                                                                   "regency": "63.08"})
    assert catalogue_titles(response) == ["Masker sasirangan"]
    assert list(response.context["filters"].errors) == ["price_max"]


def test_the_catalogue_pages_by_twelve(catalogue):
    w = catalogue
    for n in range(27):
        Listing.objects.create(partner=w.tala_partner, product=w.suit, title=f"Produk {n:02d}", price=1000 + n,
                               whatsapp="+6281251230001")
    client = client_for(None)
    first, last = client.get(reverse("market:catalogue")), client.get(reverse("market:catalogue"), {"page": "3"})
    assert first.context["page"].paginator.count == 30
    assert len(first.context["page"]) == 12 and len(last.context["page"]) == 6
    beyond = client.get(reverse("market:catalogue"), {"page": "99"})
    assert beyond.status_code == 200 and beyond.context["page"].number == 3


def test_the_catalogue_costs_the_same_queries_for_3_or_30_listings(catalogue, django_assert_num_queries):
    w = catalogue
    Listing.objects.filter(pk=w.tala_listing.pk).update(photo="listings/1/a.jpg", thumbnail="listings/1/a-480.jpg")
    client = client_for(None)
    url = reverse("market:catalogue")
    filtered = {"regency": "63.01", "price_max": "200.000"}  # checking the regency costs one more query
    client.get(url)
    cache.clear()  # what is measured is the rendering; a kept page costs no query at all
    with CaptureQueriesContext(connection) as plain_3:
        response = client.get(url)
    assert len(response.context["page"]) == 3
    with CaptureQueriesContext(connection) as filtered_3:
        response = client.get(url, filtered)
    assert len(response.context["page"]) == 2

    partners = [w.tala_partner, w.hsu_partner]
    products = [w.suit, w.mask]
    Listing.objects.bulk_create([
        Listing(partner=partners[n % 2], product=products[n % 2], title=f"Produk {n:02d}", price=1000 + n,
                whatsapp="+6281251230001", thumbnail=f"listings/x/{n}-480.jpg" if n % 3 else "")
        for n in range(27)])
    cache.clear()  # bulk_create sends no signal, so nothing told the kept page that 27 listings came
    with django_assert_num_queries(len(plain_3.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 30 and len(response.context["page"]) == 12
    with django_assert_num_queries(len(filtered_3.captured_queries)):
        response = client.get(url, filtered)
    assert response.context["page"].paginator.count == 2 + 14


# --- language ------------------------------------------------------------------------------------------------

MARKET_STRINGS = [
    "IKM product catalogue", "Order via WhatsApp", "Send an inquiry", "Your name", "Leave this empty",
    "Too many messages from your connection. Please try again in an hour.", "Your message could not be sent.",
    "Too many messages from this phone number. Please try again in an hour.",
    "Hello %(partner)s, I am interested in %(title)s (SIGAP catalogue).", "(ignored)", "Price up to (Rp)",
    "Catalogue listings", "Taken down by the office:", "Revenue", "Own online shop or social media",
]


def test_the_market_speaks_indonesian():
    """The catalogue, the inquiry form and its refusals, the buyer's WhatsApp greeting and the partner's pages."""
    untranslated = [text for text in MARKET_STRINGS if indonesian(text) == text]
    assert untranslated == []


# --- the catalogue kept in the cache --------------------------------------------------------------------------

def _visit(client, query=None, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("market:catalogue"), query or {}, **headers)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_catalogue_is_kept_rendered_and_a_later_visit_reads_no_row(catalogue):
    first, first_queries = _visit(client_for(None))
    again, again_queries = _visit(client_for(None))
    assert first_queries >= 3 and again_queries == 0
    main = '<main id="main">'  # the header around it carries each visitor's own CSRF token
    assert again.split(main)[1] == first.split(main)[1] and "Masker kain polos" in again


def test_a_changed_listing_shows_on_the_next_visit(catalogue):
    w = catalogue
    _visit(client_for(None))
    listing_save(by=w.partner_user, partner=w.tala_partner, listing=w.plain, title="Masker kain polos hijau",
                 product=w.mask, price=Decimal("8500"), min_order=1, lead_time_days=3, whatsapp="081251230001",
                 description="", is_published=True)
    page, queries = _visit(client_for(None))
    assert "Masker kain polos hijau" in page and queries >= 3


def test_a_taken_down_listing_and_a_partner_that_stopped_leave_the_kept_catalogue(catalogue):
    w = catalogue
    assert "Baju hazmat spunbond" in _visit(client_for(None))[0]
    listing_take_down(listing=w.tala_listing, by=w.tala_officer, reason="Foto bukan produk sendiri")
    page = _visit(client_for(None))[0]
    assert "Baju hazmat spunbond" not in page and "Masker sasirangan" in page
    w.hsu_partner.status = "inactive"
    w.hsu_partner.save()
    assert "Masker sasirangan" not in _visit(client_for(None))[0]


def test_a_version_is_renewed_when_the_change_commits(catalogue, django_capture_on_commit_callbacks):
    from sigap.market import catalogue_cache

    with django_capture_on_commit_callbacks(execute=True):
        before = catalogue_cache.version()
        listing_take_down(listing=catalogue.tala_listing, by=catalogue.tala_officer, reason="Foto bukan produk sendiri")
        during = catalogue_cache.version()
    assert len({before, during, catalogue_cache.version()}) == 3


def test_searches_are_rendered_fresh_and_languages_kept_apart(catalogue):
    client = client_for(None)
    for _ in range(2):
        page, queries = _visit(client, {"q": "masker"})
        assert queries >= 3 and "Baju hazmat spunbond" not in page
    _visit(client)
    client.cookies["django_language"] = "en"
    english, queries = _visit(client)
    assert queries >= 3 and 'lang="en"' in english and "products" in english
    assert _visit(client)[1] == 0


@pytest.mark.parametrize("number", ["0", "abc", "99999", "-1", ""])
def test_odd_page_numbers_are_answered_but_not_kept(catalogue, number):
    cache.clear()
    assert client_for(None).get(reverse("market:catalogue") + "?page=" + number).status_code == 200
    assert [key for key in cache._cache if ":catalogue:" in key and ":version" not in key] == []
