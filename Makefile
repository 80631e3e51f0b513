# Cabildo: the two commands a fresh machine needs are `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 3
# The address links in e-mails, feeds and exports point to (see README: PUBLIC_URL).
PUBLIC_URL ?= http://$(HOST):$(PORT)

.PHONY: demo-staff run test test-sqlite test-postgres install setup bench scale load translations clean screenshots

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	$(FLASK) translate compile

setup: install translations
	$(FLASK) db upgrade
	$(FLASK) demo load-if-empty

# The portal and its job worker (counts, comparisons, news, checkpoints), two processes on
# the embedded SQLite queue (instance/jobs.db); Ctrl-C stops both.
run: setup
	PUBLIC_URL=$(PUBLIC_URL) $(FLASK) jobs worker & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker' INT TERM EXIT; \
	PUBLIC_URL=$(PUBLIC_URL) $(VENV)/bin/gunicorn --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile - wsgi:app

# A publisher of Intipucá for trying the staff side: prints an e-mail and a new password.
demo-staff: setup
	$(FLASK) demo staff

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch node_modules/.installed

# On PostgreSQL (TEST_DATABASE_URL) the Chromium journeys, which test pages rather than
# SQL, are left to the SQLite run: CI runs both, one after the other.
test: install translations node_modules/.installed
	$(PY) -m pytest -n 2 --dist loadgroup -q $(if $(TEST_DATABASE_URL),-m "not browser") $(PYTEST_ARGS)

# Every page at 320 px in Spanish, English and Portuguese, into a gallery to scroll through:
# test-artifacts/screenshots/index.html (fails, after writing it, if a page is wider than the screen).
SCREENSHOTS_DIR ?= test-artifacts/screenshots
screenshots: install translations
	rm -rf $(SCREENSHOTS_DIR)
	SCREENSHOTS=$(SCREENSHOTS_DIR) $(PY) -m pytest tests/surface/test_fits_320.py -q -n 0; \
	status=$$?; echo "Gallery: $(SCREENSHOTS_DIR)/index.html"; exit $$status

bench: setup
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	test -d bench/node_modules/lighthouse || npm ci --prefix bench --no-audit --no-fund --silent
	$(PY) bench/bench.py

load: install translations
	test -x $(VENV)/bin/locust || $(PY) -m pip install --quiet -e ".[test,load]"
	$(PY) bench/load/harness.py

# The portal at national scale (2,000 municipalities, 1,000,000 complaints, 100,000 ballots):
# builds instance/scale.db once, then times every public page and API list and the tallies.
# SCALE_DATABASE_URL=postgresql://... to run it on PostgreSQL. Not part of `make test`.
scale: install translations
	$(PY) bench/scale.py $(SCALE_ARGS)

clean:
	rm -rf $(VENV) instance test-artifacts node_modules
