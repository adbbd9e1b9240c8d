"""A Bimtek world in Hulu Sungai Utara: the HSU office's instructor and the province's health expert as people,
participants living in Amuntai Tengah, and helpers that create trainings and enrolments through the services."""

import datetime
import itertools

import pytest

from sigap.demo.data import make_nik
from sigap.people.models import Person

FIRST_DAY = datetime.date(2020, 5, 18)
LAST_DAY = datetime.date(2020, 5, 20)
HSU_VILLAGE = "63.08.05.1001"  # a village of Amuntai Tengah, Hulu Sungai Utara
TALA_VILLAGE = "63.01.03.1005"
BORN = datetime.date(2000, 7, 3)

_serials = itertools.count(100)


def make_person(name, *, kind="participant", region=HSU_VILLAGE, sex="P", born=BORN) -> Person:
    """A person with a NIK that matches their kecamatan, birth date and sex."""
    nik = make_nik(district_code=region[:8], birth_date=born, sex=sex, serial=next(_serials))
    return Person.objects.create(name=name, nik=nik, sex=sex, birth_date=born, kind=kind, address="Jl. Norman Umar",
                                 region_id=region)


def make_training(w, *, by=None, instructors=None, **fields):
    from sigap.trainings.services import training_save

    values = {"office": w.hsu_office, "title": "Bimtek Masker Kain 3 Lapis Sasirangan", "mode": "online",
              "starts_on": FIRST_DAY, "ends_on": LAST_DAY, "product": w.mask, "target": 60, "quota": 7,
              "health_expert": w.doctor, "min_attendance_percent": 80, **fields}
    return training_save(by=by or w.hsu_officer, instructors=[w.teacher] if instructors is None else instructors,
                         **values)


def enrol(w, training, names, *, by=None):
    from sigap.trainings.services import enrolment_create

    return [enrolment_create(training=training, person=make_person(name), by=by or w.hsu_officer) for name in names]


PARTICIPANTS = ["Muhammad Fahri", "Siti Nurhaliza", "Rahmat Hidayat", "Nor Aida", "Ahmad Syarifuddin",
                "Fitriani", "Rizky Ananda", "Maulida Rahmah", "Hendra Saputra", "Nurul Hidayah"]


@pytest.fixture
def hsu(world):
    """The conftest world plus the HSU instructor and the province's health expert as registered people; the
    ``instructor`` user is Hj. Masniah's login."""
    w = world
    w.teacher = make_person("Hj. Masniah", kind="instructor", born=datetime.date(1975, 2, 11))
    w.doctor = make_person("dr. Rina Marlina", kind="health_expert", born=datetime.date(1982, 9, 21))
    w.instructor.person = w.teacher
    w.instructor.save(update_fields=["person"])
    return w


@pytest.fixture
def training(hsu):
    """HSU's online mask training, 18–20 May 2020, target 60, quota 7, with three participants."""
    w = hsu
    w.training = make_training(w)
    w.enrolments = enrol(w, w.training, PARTICIPANTS[:3])
    return w
