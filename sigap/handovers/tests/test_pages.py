"""The handover pages: recording through the form, the BAST certificate PDF, the public verification page,
receipt and voiding through their forms, and what an agency user may see."""

import datetime
import re
import socket
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from conftest import client_for
from sigap.accounts.models import Role, User
from sigap.handovers.certificate import certificate_pdf
from sigap.handovers.models import Handover, Sequence, Status
from sigap.handovers.services import handover_confirm_receipt, handover_create, handover_void
from sigap.organisations.models import Kind, Organisation
from sigap.stock.ledger import on_hand
from sigap.stock.services import location_for_office, receipt_record

DAY = datetime.date(2020, 6, 15)  # a Monday
FIRST = "001/BAST/DISNAKERIND-TALA/VI/2020"
GIVER_NIP, RECEIVER_NIP = "196501011990031001", "197203151998032004"


@pytest.fixture
def stocked(world):
    receipt_record(office=world.tala_office, supplier=world.province_office, date=datetime.date(2020, 6, 1),
                   lines=[(world.suit, 100)], by=world.tala_officer)
    world.tala_store = location_for_office(world.tala_office)
    return world


def hand_over(w, **changes):
    fields = {
        "office": w.tala_office, "receiver": w.gtpp_tala, "giver_name": "Masturi", "giver_position": "Kepala Dinas",
        "giver_nip": GIVER_NIP, "receiver_name": "H. Dahnial Kifli",
        "receiver_position": "Sekretaris Daerah Kabupaten Tanah Laut", "receiver_nip": RECEIVER_NIP,
        "purpose": "use", "handed_over_on": DAY, "place": "Pelaihari", "lines": [(w.suit, 50, None)],
        "by": w.tala_officer,
    }
    fields.update(changes)
    return handover_create(**fields)


@pytest.fixture
def handed(stocked):
    stocked.handover = hand_over(stocked)
    return stocked


def in_indonesian(message):
    with translation.override("id"):
        return gettext(message)


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace collapsed (the layout breaks lines where it likes)."""
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# Recording through the form


def form_data(w, **changes):
    data = {
        "office": w.tala_office.pk, "giver_name": "Masturi", "giver_position": "Kepala Dinas", "giver_nip": "",
        "receiver": w.gtpp_tala.pk, "receiver_name": "H. Dahnial Kifli", "receiver_position": "Sekretaris Daerah",
        "receiver_nip": "", "purpose": "use", "handed_over_on": "2020-06-15", "place": "Pelaihari", "request": "",
        "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "30",
        "lines-0-product": w.suit.pk, "lines-0-quantity": "50", "lines-0-batch": "",
        "lines-1-product": "", "lines-1-quantity": "", "lines-1-batch": "",
        "lines-2-product": "", "lines-2-quantity": "", "lines-2-batch": "",
    }
    data.update(changes)
    return data


def test_the_create_page_records_the_handover_and_redirects_to_it(stocked):
    w = stocked
    client = client_for(w.tala_officer)
    assert client.get(reverse("handovers:create")).status_code == 200
    response = client.post(reverse("handovers:create"), form_data(w))
    handover = Handover.objects.get()
    assert response.status_code == 302 and response.url == reverse("handovers:detail", args=[handover.pk])
    assert handover.number == FIRST and handover.receiver == w.gtpp_tala and handover.created_by == w.tala_officer
    assert list(handover.lines.values_list("product", "quantity")) == [(w.suit.pk, 50)]
    assert on_hand(w.suit, w.tala_store) == 50
    page = client.get(response.url)
    assert page.status_code == 200 and FIRST in page.content.decode()


def test_a_shortfall_on_the_create_page_says_stok_tidak_cukup_and_saves_nothing(stocked):
    w = stocked
    response = client_for(w.tala_officer).post(reverse("handovers:create"), form_data(w, **{"lines-0-quantity": "101"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stok tidak cukup" in html and "Baju hazmat" in html
    assert not Handover.objects.exists() and not Sequence.objects.exists()
    assert on_hand(w.suit, w.tala_store) == 100
    assert client_for(w.tala_officer).post(reverse("handovers:create"), form_data(w)).status_code == 302
    assert Handover.objects.get().number == FIRST


def test_the_create_page_refuses_another_districts_office_and_a_non_officer(stocked):
    w = stocked
    response = client_for(w.hsu_officer).post(reverse("handovers:create"), form_data(w))
    assert response.status_code == 200 and "office" in response.context["form"].errors
    assert client_for(w.agency_user).post(reverse("handovers:create"), form_data(w)).status_code == 403
    assert not Handover.objects.exists() and on_hand(w.suit, w.tala_store) == 100


# The certificate PDF


def test_the_certificate_pdf_states_the_number_parties_goods_and_date_in_words(handed):
    w = handed
    response = client_for(w.tala_officer).get(reverse("handovers:certificate", args=[w.handover.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="BAST-001-BAST-DISNAKERIND-TALA-VI-2020.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "BERITA ACARA SERAH TERIMA BARANG" in text
    assert f"Nomor: {FIRST}" in text
    assert "Pada hari ini Senin tanggal lima belas bulan Juni tahun dua ribu dua puluh, bertempat di Pelaihari" in text
    assert "PIHAK PERTAMA" in text and "PIHAK KEDUA" in text
    for expected in ("Disnakerind Kabupaten Tanah Laut", "GTPP Covid-19 Kabupaten Tanah Laut", "Masturi",
                     "H. Dahnial Kifli", "Kepala Dinas", "Sekretaris Daerah Kabupaten Tanah Laut", GIVER_NIP,
                     RECEIVER_NIP, "Baju hazmat", "lima puluh", "untuk dipergunakan sebagaimana mestinya",
                     "Pelaihari, 15 Juni 2020"):
        assert expected in text, expected
    assert "1 Baju hazmat — 50 lima puluh buah" in text  # the line: number, product, batch, quantity, words, unit
    assert "BATAL" not in text


def test_the_receiving_agency_gets_the_certificate_and_a_void_one_says_batal(handed):
    w = handed
    url = reverse("handovers:certificate", args=[w.handover.pk])
    assert client_for(w.agency_user).get(url).status_code == 200
    handover_void(handover=w.handover, by=w.tala_officer, reason="Salah penerima")
    assert "BATAL" in pdf_text(client_for(w.tala_officer).get(url).content)


def test_the_pdf_renderer_escapes_typed_html_and_fetches_no_url(stocked, monkeypatch):
    w = stocked
    markup = '<img src="http://127.0.0.1:9/x">'
    receiver = Organisation.objects.create(name=f"Posko {markup}", code="POSKO-X", kind=Kind.TASK_FORCE,
                                           region_id="63.01")
    handover = hand_over(w, receiver=receiver, place=f"Pelaihari {markup}", receiver_name=f"Budi {markup}")
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"the PDF renderer opened a connection: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    pdf = certificate_pdf(handover, verify_url="https://sigap.example/bast/x/")
    assert attempts == []
    text = pdf_text(pdf)
    # As text: the place twice, the receiver's signatory twice, the organisation once (a narrow cell may wrap
    # the URL, hence the comparison without spaces).
    assert text.replace(" ", "").count(markup.replace(" ", "")) == 5
    assert f"bertempat di Pelaihari {markup}" in text and f"Budi {markup}" in text


def test_the_certificate_is_in_indonesian_whatever_the_readers_language(handed):
    w = handed
    client = client_for(w.tala_officer)
    client.post(reverse("set_language"), {"language": "en"})  # the officer reads SIGAP in English
    response = client.get(reverse("handovers:certificate", args=[w.handover.pk]))
    text = pdf_text(response.content)
    assert "Senin tanggal lima belas bulan Juni" in text  # written in Indonesian by the code itself
    assert "50 lima puluh buah" in text and "piece" not in text


# The public verification page


def test_the_verification_page_needs_no_login_and_shows_the_certificate_without_personal_data(handed):
    w = handed
    response = client_for(None).get(f"/bast/{w.handover.verification_code}/")
    assert response.status_code == 200
    html = response.content.decode()
    for expected in (FIRST, "15 Juni 2020", "Disnakerind Kabupaten Tanah Laut", "GTPP Covid-19 Kabupaten Tanah Laut",
                     "Baju hazmat", "50", in_indonesian("This certificate is genuine")):
        assert expected in html, expected
    with translation.override("id"):
        assert str(Status.HANDED_OVER.label) in html
    for personal in ("Masturi", "Dahnial", "Kifli", GIVER_NIP, RECEIVER_NIP, "Kepala Dinas", "Sekretaris Daerah",
                     w.tala_officer.username, "Budi", "+62", "0812", "0813", "Rusmilawati"):
        assert personal not in html, personal
    assert not re.search(r"\b\d{18}\b", html)  # no NIP
    assert not re.search(r"(\+62|\b0)8\d{7,}", html)  # no mobile number


def test_the_verification_page_shows_a_void_certificate_as_void(handed):
    w = handed
    handover_void(handover=w.handover, by=w.tala_officer, reason="Salah penerima")
    html = client_for(None).get(f"/bast/{w.handover.verification_code}/").content.decode()
    assert in_indonesian("This certificate is VOID") in html
    assert in_indonesian("This certificate is genuine") not in html
    with translation.override("id"):
        assert str(Status.VOID.label) in html
    assert FIRST in html and "Salah penerima" not in html


def test_the_verification_page_shows_receipt_without_saying_who_confirmed_it(handed):
    w = handed
    handover_confirm_receipt(handover=w.handover, by=w.agency_user, received={w.handover.lines.get().pk: 50},
                             note="Diterima oleh Bapak Ahmad 081234567890")
    html = client_for(None).get(f"/bast/{w.handover.verification_code}/").content.decode()
    with translation.override("id"):
        assert str(Status.RECEIVED.label) in html
    assert "Ahmad" not in html and "081234567890" not in html and w.agency_user.username not in html


@pytest.mark.parametrize("forge", [
    lambda code: "x" + code[1:] if code[0] != "x" else "y" + code[1:],
    lambda code: code.upper() if code.upper() != code else code.lower(),
    lambda code: code + "A",
    lambda code: "tidak-ada",
    lambda code: "%27%20OR%201%3D1--",
])
def test_an_unknown_or_forged_code_answers_404(handed, forge):
    w = handed
    response = client_for(None).get(f"/bast/{forge(w.handover.verification_code)}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert in_indonesian("Certificate not found") in html
    assert FIRST not in html and "Disnakerind" not in html and "GTPP" not in html


def test_the_not_found_page_speaks_indonesian(handed):
    response = client_for(None).get("/bast/tidak-ada/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "tidak ditemukan" in html.lower() and "Certificate not found" not in html


def verification_status(html):
    return re.search(r"<dt>Status</dt><dd>(.*?)</dd>", html).group(1).strip()


def test_the_verification_page_states_the_status_in_indonesian(handed):
    w = handed
    assert verification_status(client_for(None).get(f"/bast/{w.handover.verification_code}/").content.decode()) \
        == "Diserahkan"


def test_a_void_certificates_status_reads_in_indonesian(handed):
    w = handed
    handover_void(handover=w.handover, by=w.tala_officer, reason="Salah penerima")
    status = verification_status(client_for(None).get(f"/bast/{w.handover.verification_code}/").content.decode())
    assert status not in ("Void", "Batalkan") and "batal" in status.lower()


# Receipt and voiding through their forms


def test_the_agency_confirms_receipt_on_the_detail_page(handed):
    w = handed
    line = w.handover.lines.get()
    client = client_for(w.agency_user)
    detail = client.get(reverse("handovers:detail", args=[w.handover.pk]))
    assert detail.status_code == 200 and f'name="line_{line.pk}"' in detail.content.decode()
    response = client.post(reverse("handovers:receipt", args=[w.handover.pk]), {f"line_{line.pk}": "48",
                                                                               "note": "2 sobek"})
    assert response.status_code == 302 and response.url == reverse("handovers:detail", args=[w.handover.pk])
    handover = Handover.objects.get(pk=w.handover.pk)
    assert handover.status == Status.RECEIVED and handover.received_by == w.agency_user
    assert handover.received_note == "2 sobek" and handover.lines.get().received_quantity == 48
    assert f'name="line_{line.pk}"' not in client.get(response.url).content.decode()  # no second form


@pytest.mark.parametrize("who, quantity", [("agency_user", "51"), ("agency_user", "-1"), ("agency_user", ""),
                                           ("tala_officer", "50")])
def test_a_bad_or_unauthorised_receipt_changes_nothing(handed, who, quantity):
    w = handed
    line = w.handover.lines.get()
    response = client_for(getattr(w, who)).post(reverse("handovers:receipt", args=[w.handover.pk]),
                                                {f"line_{line.pk}": quantity})
    assert response.status_code == 302
    handover = Handover.objects.get(pk=w.handover.pk)
    assert handover.status == Status.HANDED_OVER and handover.lines.get().received_quantity is None


def test_the_receipt_page_answers_only_to_post(handed):
    w = handed
    assert client_for(w.agency_user).get(reverse("handovers:receipt", args=[w.handover.pk])).status_code == 405


def test_an_officer_voids_on_the_detail_page_and_the_goods_return(handed):
    w = handed
    client = client_for(w.tala_officer)
    assert "Salah" not in client.get(reverse("handovers:detail", args=[w.handover.pk])).content.decode()
    response = client.post(reverse("handovers:void", args=[w.handover.pk]), {"reason": "Salah penerima"})
    assert response.status_code == 302 and response.url == reverse("handovers:detail", args=[w.handover.pk])
    handover = Handover.objects.get(pk=w.handover.pk)
    assert handover.status == Status.VOID and handover.void_reason == "Salah penerima"
    assert on_hand(w.suit, w.tala_store) == 100
    again = client.post(reverse("handovers:void", args=[w.handover.pk]), {"reason": "Lagi"})
    assert again.status_code == 302 and Handover.objects.get(pk=w.handover.pk).void_reason == "Salah penerima"
    assert on_hand(w.suit, w.tala_store) == 100


@pytest.mark.parametrize("who, reason, status", [
    ("tala_officer", "", 302),  # no reason
    ("agency_user", "Salah", 403),  # sees it, may not void it
    ("hsu_officer", "Salah", 404),  # another district's handover
    ("partner_user", "Salah", 404),
])
def test_a_void_without_reason_or_by_the_wrong_user_changes_nothing(handed, who, reason, status):
    w = handed
    response = client_for(getattr(w, who)).post(reverse("handovers:void", args=[w.handover.pk]), {"reason": reason})
    assert response.status_code == status
    assert Handover.objects.get(pk=w.handover.pk).status == Status.HANDED_OVER
    assert on_hand(w.suit, w.tala_store) == 50


# What an agency user sees


def test_an_agency_user_sees_what_its_organisation_received_and_nothing_else(handed):
    w = handed
    to_province = hand_over(w, receiver=w.province_office, receiver_name="H. Mahyuni", purpose="evaluation",
                            lines=[(w.suit, 10, None)])
    client = client_for(w.agency_user)
    listing = client.get(reverse("handovers:list")).content.decode()
    assert FIRST in listing and to_province.number not in listing
    assert client.get(reverse("handovers:detail", args=[w.handover.pk])).status_code == 200
    for route in ("handovers:detail", "handovers:certificate"):
        assert client.get(reverse(route, args=[to_province.pk])).status_code == 404
    before = Handover.objects.get(pk=to_province.pk)
    assert client.post(reverse("handovers:receipt", args=[to_province.pk]), {}).status_code == 404
    assert Handover.objects.get(pk=to_province.pk).status == before.status == Status.HANDED_OVER

    bpbd = Organisation.objects.create(name="BPBD Kabupaten Hulu Sungai Utara", code="BPBD-HSU",
                                       kind=Kind.DISASTER_AGENCY, region_id="63.08")
    stranger = client_for(User.objects.create_user(username="bpbd_user", password="sandi-rahasia-1",
                                                   role=Role.AGENCY, organisation=bpbd))
    listing = stranger.get(reverse("handovers:list")).content.decode()
    assert FIRST not in listing and to_province.number not in listing
    for handover in (w.handover, to_province):
        assert stranger.get(reverse("handovers:detail", args=[handover.pk])).status_code == 404
        assert stranger.get(reverse("handovers:certificate", args=[handover.pk])).status_code == 404


# Master data changed after the handover


@pytest.mark.security
def test_renaming_a_product_leaves_the_issued_certificate_and_its_verification_as_they_were(handed):
    w = handed
    response = client_for(w.province_officer).patch(
        f"/api/v1/items/{w.suit.pk}", data='{"name": "Coverall medis", "unit": "set"}',
        content_type="application/json")
    assert response.status_code == 200
    w.suit.refresh_from_db()
    assert (w.suit.name, w.suit.unit) == ("Coverall medis", "set")

    text = pdf_text(client_for(w.tala_officer).get(reverse("handovers:certificate", args=[w.handover.pk])).content)
    assert "1 Baju hazmat — 50 lima puluh buah" in text
    assert "Coverall" not in text and " set" not in text
    verify = client_for(None).get(f"/bast/{w.handover.verification_code}/").content.decode()
    detail = client_for(w.tala_officer).get(reverse("handovers:detail", args=[w.handover.pk])).content.decode()
    for html in (verify, detail):
        assert "Baju hazmat" in html and "50 buah" in html
        assert "Coverall" not in html
    line = client_for(w.tala_officer).get(f"/api/v1/handovers/{w.handover.pk}").json()["lines"][0]
    assert (line["product"], line["name"], line["unit"]) == ("baju-hazmat", "Baju hazmat", "pcs")
    # A handover made after the change carries the new name.
    later = hand_over(w, lines=[(w.suit, 10, None)])
    assert "1 Coverall medis — 10 sepuluh set" in pdf_text(
        client_for(w.tala_officer).get(reverse("handovers:certificate", args=[later.pk])).content)
