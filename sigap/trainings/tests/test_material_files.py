"""A training's handouts: stored under a name nobody can guess, and downloaded only through a training the user may
read (office staff of the training's region); /media/ never serves them."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from sigap.trainings.models import LearningMaterial, Training
from sigap.trainings.services import material_add

DAY = datetime.date(2020, 6, 1)
HANDOUT = b"%PDF-1.4 Modul menjahit baju hazmat " * 10


def _handout(name="Modul Jahit Hazmat.pdf"):
    return SimpleUploadedFile(name, HANDOUT, content_type="application/pdf")


def _download_url(material):
    return reverse("trainings:material-file", args=[material.training_id, material.pk])


@pytest.fixture
def handout(world):
    """Tala's hazmat training with a PDF handout its officer uploaded."""
    w = world
    w.tala_training = Training.objects.create(
        office=w.tala_office, title="Bimtek baju hazmat", mode="offline", starts_on=DAY, ends_on=DAY,
        product=w.suit, target=10, quota=3)
    w.material = material_add(training=w.tala_training, title="Modul jahit", by=w.tala_officer, file=_handout())
    return w


@pytest.mark.security
@pytest.mark.parametrize("who", ["hsu_officer", "instructor", "partner_user", "agency_user", "outsider"])
def test_it_refuses_a_handout_to_whoever_may_not_read_the_training(handout, who):
    """Another district's officer, an instructor of another office, a partner and an agency get 404 both through
    the training and by the file's path under /media/; the Tala officer gets the file."""
    w = handout
    client = client_for(getattr(w, who))
    assert client.get(f"/media/{w.material.file.name}").status_code == 404
    assert client.get(_download_url(w.material)).status_code == 404
    assert client_for(w.tala_officer).get(_download_url(w.material)).status_code == 200


@pytest.mark.security
def test_the_trainings_office_downloads_the_handout_under_its_own_name(handout):
    w = handout
    for reader in (w.tala_officer, w.province_officer, w.health_expert):
        response = client_for(reader).get(_download_url(w.material))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == HANDOUT
        assert response["Content-Type"] == "application/pdf"
        assert 'filename="Modul Jahit Hazmat.pdf"' in response["Content-Disposition"]
        assert "private" in response["Cache-Control"]
    anonymous = client_for(None).get(_download_url(w.material))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url


@pytest.mark.security
def test_the_stored_name_is_not_derived_from_the_original_name(handout):
    w = handout
    again = material_add(training=w.tala_training, title="Modul jahit (ulang)", by=w.tala_officer, file=_handout())
    for material in (w.material, again):
        assert re.fullmatch(rf"trainings/{w.tala_training.pk}/[0-9a-f]{{32}}\.pdf", material.file.name)
        assert "Modul" not in material.file.name and "Jahit" not in material.file.name
        assert material.original_name == "Modul Jahit Hazmat.pdf"
    assert w.material.file.name != again.file.name


def test_a_handout_stored_under_its_old_name_is_still_served_through_the_training(handout):
    """Files uploaded before names were random keep working: what protects them is the training's scope."""
    w = handout
    name = default_storage.save(f"trainings/{w.tala_training.pk}/modul-lama.pdf", ContentFile(HANDOUT))
    old = LearningMaterial.objects.create(training=w.tala_training, title="Modul lama", file=name)
    response = client_for(w.tala_officer).get(_download_url(old))
    assert response.status_code == 200 and b"".join(response.streaming_content) == HANDOUT
    assert 'filename="modul-lama.pdf"' in response["Content-Disposition"]
    assert client_for(w.hsu_officer).get(_download_url(old)).status_code == 404
    for user in (None, w.tala_officer, w.hsu_officer):
        assert client_for(user).get(f"/media/{name}").status_code == 404


def test_the_training_page_links_to_the_download_not_to_the_stored_file(handout):
    w = handout
    page = client_for(w.tala_officer).get(reverse("trainings:detail", args=[w.tala_training.pk])).content.decode()
    assert f'href="{_download_url(w.material)}"' in page
    assert w.material.file.name not in page


def test_a_material_is_found_only_under_its_own_training(handout):
    w = handout
    other = Training.objects.create(office=w.tala_office, title="Bimtek masker", mode="online", starts_on=DAY,
                                    ends_on=DAY, product=w.mask, target=10, quota=3)
    url = reverse("trainings:material-file", args=[other.pk, w.material.pk])
    assert client_for(w.tala_officer).get(url).status_code == 404


def test_a_link_or_a_lost_file_is_not_found_rather_than_an_error(handout):
    w = handout
    link = material_add(training=w.tala_training, title="Video", by=w.tala_officer, url="https://example.com/v")
    assert client_for(w.tala_officer).get(_download_url(link)).status_code == 404
    default_storage.delete(w.material.file.name)
    assert client_for(w.tala_officer).get(_download_url(w.material)).status_code == 404


def test_a_deleted_trainings_handouts_are_deleted_once_it_commits(handout, django_capture_on_commit_callbacks):
    w = handout
    name = w.material.file.name
    with django_capture_on_commit_callbacks(execute=True):
        w.tala_training.delete()
    assert not default_storage.exists(name)
