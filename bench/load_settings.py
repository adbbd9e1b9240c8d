"""Settings for bench/load_test.py's gunicorn only: SIGAP's own settings (read from the environment as in
production), with the URLconf taken from SIGAP_BENCH_URLCONF (default ``bench.load_urls``: SIGAP's routes plus one
bare view, the load test's ceiling). Nothing in SIGAP imports this module."""

import os

from sigap.settings import *  # noqa: F401,F403

ROOT_URLCONF = os.environ.get("SIGAP_BENCH_URLCONF", "bench.load_urls")
