# SIGAP: `make demo` to try it, `make test` to check it. Both install what is missing first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# Debian packages SIGAP needs: Chromium for the browser tests, gettext for translations, Pango for PDFs.
DEBIAN_PACKAGES := chromium gettext fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

.PHONY: demo test test-sqlite test-postgres test-security test-phone api-fuzz install system-deps messages serve check clean bench

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed system-deps messages

system-deps:
	@missing=""; \
	for package in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing. Run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

messages: $(VENV)/.installed
	cd sigap && ../$(PY) ../manage.py compilemessages --ignore '.venv' -v0

demo: install
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py load_regions --if-empty
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --no-input -v0
	@echo "SIGAP is serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(VENV)/bin/gunicorn sigap.wsgi --preload --bind 127.0.0.1:$(PORT) --workers 2 --worker-class gthread --threads 4 --timeout 180 --access-logfile - --log-level warning

test: install
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== the suite on SQLite =="
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

# PostgreSQL is used where it answers; with SIGAP_REQUIRE_POSTGRES=1 (CI) its absence is a failure.
test-postgres:
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== the suite on PostgreSQL =="; \
	  DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not browser" $(PYTEST_ARGS); \
	elif [ "$$SIGAP_REQUIRE_POSTGRES" = 1 ]; then \
	  echo "PostgreSQL is required (SIGAP_REQUIRE_POSTGRES=1) but does not answer at $(PG_URL)"; exit 1; \
	else \
	  echo "PostgreSQL does not answer at $(PG_URL): its part of the suite is skipped"; \
	fi

# Every page of the access matrix on a 360 px phone as every role that may open it (make test opens each page
# once, as one role: about 50 s on 2 cores; this sweep about 95 s).
test-phone: install
	env -u DATABASE_URL SIGAP_PHONE_SWEEP=all $(PY) -m pytest sigap/tests/test_every_page.py -m browser -q --durations=1 $(PYTEST_ARGS)

# Only the attacker's probes (issue-by-issue regression tests marked `security`), on SQLite.
test-security: install
	env -u DATABASE_URL $(PY) -m pytest -m security -q $(PYTEST_ARGS)

# The API against its own schema with at least 100 generated requests per operation (make test runs 10).
API_EXAMPLES ?= 100
api-fuzz: install
	env -u DATABASE_URL SIGAP_API_EXAMPLES=$(API_EXAMPLES) $(PY) -m pytest sigap/api/tests/test_schema.py -q $(PYTEST_ARGS)

check: install
	$(PY) manage.py check

# Every benchmark under bench/, on SQLite and on PostgreSQL where it supports both, then bench/RESULTS.md (about
# 14 minutes on 2 cores). The national databases sigap_bench_10k and sigap_bench_1m are reused when they exist.
# A benchmark that misses its goal (or fails) does not stop the others: RESULTS.md shows it.
BENCH_LEDGER_MOVEMENTS ?= 40000
BENCH_LOAD_SECONDS ?= 30
BENCH_OPTIONS = ledger --movements $(BENCH_LEDGER_MOVEMENTS); pdf --cold-runs 1; bast --variant-runs 5 --profile-runs 5; \
  import 100,000 rows; dashboard --reuse; export on sigap_bench_1m; load_test --reuse --duration $(BENCH_LOAD_SECONDS)
bench: install
	@which wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || { echo "wrk is missing: apt-get install wrk"; exit 1; }
	@echo "== ledger: SQLite, then PostgreSQL =="
	-env -u DATABASE_URL $(PY) bench/ledger_bench.py --movements $(BENCH_LEDGER_MOVEMENTS)
	-DATABASE_URL=$(PG_URL) $(PY) bench/ledger_bench.py --movements $(BENCH_LEDGER_MOVEMENTS)
	@echo "== PDFs, BAST and page weight (SQLite only) =="
	-$(PY) bench/pdf_bench.py --cold-runs 1
	-$(PY) bench/bast_bench.py --variant-runs 5 --profile-runs 5
	-$(PY) bench/page_weight.py
	@echo "== import: SQLite, then PostgreSQL =="
	-env -u DATABASE_URL $(PY) bench/import_bench.py
	-DATABASE_URL=$(PG_URL) $(PY) bench/import_bench.py
	@echo "== dashboards and exports on the national databases (PostgreSQL only) =="
	-$(PY) bench/dashboard_bench.py --reuse
	-$(PY) bench/export_bench.py
	@echo "== load test (gunicorn on PostgreSQL, wrk) =="
	-$(PY) bench/load_test.py --reuse --duration $(BENCH_LOAD_SECONDS)
	BENCH_OPTIONS="$(BENCH_OPTIONS)" PG_URL=$(PG_URL) $(PY) bench/results.py

clean:
	rm -rf $(VENV) var/static var/cache
