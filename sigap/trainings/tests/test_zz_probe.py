import datetime
from django.utils import timezone
from conftest import client_for
from sigap.trainings import services

def test_probe(world):
    today = timezone.localdate()
    t = services.training_save(by=world.hsu_officer, office=world.hsu_office, title="T", mode="online",
        starts_on=today - datetime.timedelta(1), ends_on=today + datetime.timedelta(1), product=world.mask, target=3, quota=5)
    c = client_for(world.instructor)
    c.raise_request_exception = False
    for q in ["", "?day=abc", "?day=2020-13-45"]:
        r = c.get(f"/trainings/{t.pk}/attendance/{q}")
        print(q, r.status_code)
