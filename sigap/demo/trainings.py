"""Demo trainings of Hulu Sungai Utara (Amuntai), May–June 2020.

1. Online Bimtek, 18–20 May 2020: 5 young participants sew three-layer sasirangan masks at home from
   instruction videos, materials from the province, one home visit; 500 masks in three days, all accepted.
2. The next one: 7 participants, a target of 60 APD sets ("about 9 per participant"), a professional
   instructor and a supervising health expert.
"""

import datetime

from sigap.accounts.models import User
from sigap.items.models import Item
from sigap.organisations.models import Organisation
from sigap.people.models import Person
from sigap.production.models import Batch
from sigap.quality.models import Criterion
from sigap.quality.services import inspection_record
from sigap.stock.services import receipt_record
from sigap.trainings.models import Training
from sigap.trainings.services import (
    attendance_record, enrolment_create, home_visit_record, kit_issue, output_record, programme_create,
    targets_set, targets_split_evenly, training_save,
)

MASK_TRAINING = "Bimtek Online Pembuatan Masker Kain 3 Lapis Sasirangan"
SET_TRAINING = "Bimtek Pembuatan Set APD"
MASK_PARTICIPANTS = ["Muhammad Fahri", "Siti Nurhaliza", "Rahmat Hidayat", "Nor Aida", "Ahmad Syarifuddin"]
SET_PARTICIPANTS = ["Rusdiansyah", "Fitriani", "Ahmad Fauzi", "Maulida Rahmah", "Hendra Saputra", "Nurul Hidayah",
                    "Rizky Ananda"]
DAILY_MASKS = [30, 35, 35]  # per participant on 18, 19 and 20 May: 100 each, 500 in all
MAY_18 = datetime.date(2020, 5, 18)


def load_hsu_trainings() -> None:
    if Training.objects.filter(title=MASK_TRAINING).exists():
        return
    hsu = Organisation.objects.get(code="DISPERINDAGKOP-UKM-HSU")
    province = Organisation.objects.get(code="DISPERIN-KALSEL")
    officer, instructor_user, expert_user = (User.objects.get(username=u) for u in ("hsu", "instruktur", "ahli"))
    items = {item.code: item for item in Item.objects.all()}
    people = {person.name: person for person in Person.objects.all()}

    programme = programme_create(
        by=officer, name="Pemberdayaan IKM produksi APD Covid-19 2020", year=2020, office=hsu,
        starts_on=datetime.date(2020, 5, 1), ends_on=datetime.date(2020, 12, 31),
        budget_source="APBD Kabupaten HSU 2020", partner_offices=[province],
        targets=[(items["masker-kain-3-lapis"], 500), (items["set-apd"], 60)],
    )
    masks = training_save(
        by=officer, programme=programme, office=hsu, title=MASK_TRAINING, mode="online", starts_on=MAY_18,
        ends_on=datetime.date(2020, 5, 20), place="Rumah peserta (daring)",
        meeting_link="https://meet.jit.si/bimtek-masker-sasirangan-hsu", product=items["masker-kain-3-lapis"],
        target=500, quota=5, health_expert=people["dr. Rina Marlina"], min_attendance_percent=80,
        description="Peserta menjahit di rumah dari video instruksi; bahan dari Dinas Perindustrian Provinsi.",
        instructors=[people["Hj. Masniah"]],
    )
    enrolments = [enrolment_create(training=masks, person=people[name], by=officer) for name in MASK_PARTICIPANTS]
    targets_set(training=masks, targets={e.pk: 100 for e in enrolments}, by=officer)
    receipt_record(office=hsu, supplier=province, date=datetime.date(2020, 5, 16), reference="019/PERIN-KALSEL/V/2020",
                   by=officer, note="Bahan baku masker sasirangan untuk Bimtek daring",
                   lines=[(items["kain-sasirangan"], 30), (items["karet-elastis"], 250), (items["benang-jahit"], 5)])
    for enrolment in enrolments:
        kit_issue(enrolment=enrolment, office=hsu, date=datetime.date(2020, 5, 17), by=officer)
    criteria = list(Criterion.objects.filter(product=items["masker-kain-3-lapis"], is_active=True))
    for offset, per_person in enumerate(DAILY_MASKS):
        day = MAY_18 + datetime.timedelta(days=offset)
        attendance_record(training=masks, day=day, marks={e: "online" for e in enrolments}, by=instructor_user)
        for enrolment in enrolments:
            output_record(enrolment=enrolment, quantity=per_person, produced_on=day, by=instructor_user)
    home_visit_record(enrolment=enrolments[3], instructor=people["Hj. Masniah"], visited_on=MAY_18 + datetime.timedelta(1),
                      problem="Lapis ketiga bergeser saat dijahit", action="Instruktur mendampingi menjahit ulang dengan pola",
                      by=instructor_user)
    for batch in Batch.objects.filter(training=masks).order_by("pk"):
        inspection_record(batch=batch, by=expert_user, inspected_on=datetime.date(2020, 5, 21), sample_size=5,
                          accepted=batch.quantity, rejected=0, results=[(c, True, "") for c in criteria])

    sets = training_save(
        by=officer, programme=programme, office=hsu, title=SET_TRAINING, mode="offline",
        starts_on=datetime.date(2020, 6, 15), ends_on=datetime.date(2020, 6, 26),
        place="Aula Disperindagkop-UKM HSU, Amuntai", product=items["set-apd"], target=60, quota=7,
        health_expert=people["dr. Rina Marlina"], min_attendance_percent=80,
        description="Instruktur profesional; tenaga kesehatan mengawasi kesesuaian dengan standar medis.",
        instructors=[people["Drs. H. Syahrani"]],
    )
    for name in SET_PARTICIPANTS:
        enrolment_create(training=sets, person=people[name], by=officer)
    targets_split_evenly(training=sets, by=officer)


def mask_training() -> Training:
    return Training.objects.get(title=MASK_TRAINING)



