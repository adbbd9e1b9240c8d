"""When things break: the database gone, a worker killed in the middle of a document."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from django.db import connection

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROBE = textwrap.dedent("""
    import json, django
    django.setup()
    from django.test import Client
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    answers = {}
    for path, headers in [("/healthz", {}), ("/katalog/", {}), ("/bast/abc/", {}),
                          ("/api/v1/partners", {"HTTP_AUTHORIZATION": "Bearer sgp_x"})]:
        response = client.get(path, **headers)
        body = response.content.decode("utf-8", "replace")
        answers[path] = {"status": response.status_code, "type": response["Content-Type"],
                         "traceback": "Traceback" in body or "OperationalError" in body, "body": body[:300]}
    print(json.dumps(answers))
""")


def test_with_the_database_unreachable_pages_answer_with_a_friendly_error_and_healthz_with_503(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sigap.settings", "SIGAP_DEBUG": "0",
           "DATABASE_URL": "postgres://postgres@127.0.0.1:1/unreachable", "SIGAP_VAR_DIR": str(tmp_path),
           "SIGAP_SECRET_KEY": "x" * 60, "SIGAP_ALLOWED_HOSTS": "127.0.0.1"}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["/healthz"]["status"] == 503
    for path in ("/katalog/", "/bast/abc/"):
        assert answers[path]["status"] == 500 and not answers[path]["traceback"], answers[path]
        assert "Maaf, terjadi gangguan" in answers[path]["body"]
    api = answers["/api/v1/partners"]
    assert api["status"] == 503 and api["type"].startswith("application/json") and not api["traceback"]


KILLED = textwrap.dedent("""
    import datetime, os, sys, time, django
    django.setup()
    from sigap.accounts.models import User
    from sigap.handovers.services import handover_create
    from sigap.organisations.models import Organisation
    from sigap.items.models import Item
    from sigap.stock import ledger

    real_post = ledger.post

    def slow_post(**kwargs):
        posting = real_post(**kwargs)
        print("posted", flush=True)
        time.sleep(60)  # the worker is killed here, inside the transaction
        return posting

    ledger.post = slow_post
    import sigap.handovers.services as services
    services.ledger.post = slow_post
    officer = User.objects.get(username="tala_officer")
    handover_create(office=officer.organisation, receiver=Organisation.objects.get(code="GTPP-COVID19-TALA"),
                    giver_name="Kepala", giver_position="Kepala Dinas", receiver_name="Penerima",
                    receiver_position="Sekretaris", purpose="use", handed_over_on=datetime.date(2020, 6, 15),
                    place="Pelaihari", lines=[(Item.objects.get(code="baju-hazmat"), 5, None)], by=officer)
""")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: a second process must see the test "
                                                              "database")
def test_a_worker_killed_in_the_middle_of_a_handover_leaves_no_half_written_document(transactional_db, settings):
    from conftest import make_world
    from sigap.handovers.models import Handover, Sequence
    from sigap.stock.models import Movement, Posting
    from sigap.stock.services import receipt_record

    world = make_world()
    receipt_record(office=world.tala_office, supplier=world.province_office, date=__import__("datetime").date(
        2020, 6, 1), lines=[(world.suit, 10)], by=world.tala_officer)
    before = (Handover.objects.count(), Posting.objects.count(), Movement.objects.count(),
              list(Sequence.objects.values_list("last", flat=True)))
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sigap.settings",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"}
    worker = subprocess.Popen([sys.executable, "-c", KILLED], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    line = ""
    while time.time() < deadline and "posted" not in line:
        line = worker.stdout.readline()
        if not line and worker.poll() is not None:
            break
    assert "posted" in line, worker.stderr.read()
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    after = (Handover.objects.count(), Posting.objects.count(), Movement.objects.count(),
             list(Sequence.objects.values_list("last", flat=True)))
    assert after == before  # no handover, no posting, no number used
