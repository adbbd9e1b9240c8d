"""A Bimtek world in Hulu Sungai Utara: the HSU office's instructor and the province's health expert as people,
participants living in Amuntai Tengah, and helpers that create trainings and enrolments through the services."""

import datetime
import itertools
from decimal import Decimal

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


def _with_kit_materials(w, *, fabric_received):
    """Masks need 0.06 m of sasirangan and 0.5 elastic each; the HSU store receives ``fabric_received`` m and 250
    pieces; the participants' targets are 20, 25 and 15 masks."""
    from sigap.items.models import Component, Item
    from sigap.stock.services import location_for, receipt_record
    from sigap.trainings.services import targets_set

    w.elastic = Item.objects.create(code="karet-elastis", name="Karet elastis", kind="material", unit="pcs")
    Component.objects.create(product=w.mask, material=w.fabric, quantity=Decimal("0.06"))
    Component.objects.create(product=w.mask, material=w.elastic, quantity=Decimal("0.5"))
    receipt_record(office=w.hsu_office, supplier=w.province_office, date=datetime.date(2020, 5, 16),
                   lines=[(w.fabric, fabric_received), (w.elastic, 250)], by=w.hsu_officer)
    w.store = location_for(w.hsu_office)
    fahri, siti, rahmat = w.enrolments
    targets_set(training=w.training, targets={fahri.pk: 20, siti.pk: 25, rahmat.pk: 15}, by=w.hsu_officer)
    for e in w.enrolments:
        e.refresh_from_db()
    return w


@pytest.fixture
def stocked(training):
    """The HSU store holds 30 m of sasirangan and 250 pieces of elastic: every kit is covered."""
    return _with_kit_materials(training, fabric_received=30)


@pytest.fixture
def short(training):
    """The HSU store holds 1 m and 250 pieces, so Rahmat's kit (15 masks: 0.9 m, 7.5 pieces) is covered and
    Siti's (25: 1.5 m, 12.5) only for the elastic and 1 m."""
    return _with_kit_materials(training, fabric_received=1)
