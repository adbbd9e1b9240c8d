import datetime, io
from django.urls import reverse
from django.test.utils import CaptureQueriesContext
from django.db import connection
from conftest import client_for
from sigap.trainings.tests.conftest import enrol, PARTICIPANTS
from sigap.trainings.services import attendance_record, output_record

def test_scratch(training):
    w = training
    c = client_for(w.hsu_officer)
    pass

    attendance_record(training=w.training, day=datetime.date(2020,5,18), marks={e: "online" for e in w.enrolments}, by=w.hsu_officer)
    for e in w.enrolments:
        output_record(enrolment=e, quantity=5, produced_on=datetime.date(2020,5,18), by=w.hsu_officer)
    with CaptureQueriesContext(connection) as q:
        r = c.get(reverse("trainings:detail", args=[w.training.pk]))
    print(len(q), r.status_code)
    for x in q.captured_queries: print(x["sql"][:150])
    r = c.get(reverse("trainings:certificate", args=[w.training.pk, w.enrolments[0].pk]))
    print(r.status_code, r.get("Location"))
    r = c.get(reverse("trainings:report", args=[w.training.pk]))
    print(r.status_code, r["Content-Type"])
    from pypdf import PdfReader
    print(PdfReader(io.BytesIO(r.content)).pages[0].extract_text())
    assert 0
