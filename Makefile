# Two commands from a fresh clone: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000

.PHONY: run test install install-test migrate content lint format clean backup restore bench

$(PY):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 ou plus est nécessaire"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(PY)
	$(PIP) install --quiet -r requirements-test.txt
	@touch $@

# The readers the tests check our files with (package.json): only where npm is installed;
# without them those tests are skipped, and CI (PORTAL_REQUIRE_CHECKERS=1) fails instead.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --ignore-scripts --silent; \
	else echo "npm absent : les tests des formats (ical.js, Nu HTML checker) seront ignorés"; fi

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

migrate: install
	$(PY) manage.py migrate --noinput

content: migrate
	$(PY) manage.py load_rgaa
	$(PY) manage.py load_territoire
	$(PY) manage.py load_demo
	$(PY) manage.py check_document_accessibility

# The worker that sends the emails (outbox) runs beside the server and stops with it; in
# development the emails are printed on this console. Their links point at the address
# served here (PORTAL_SITE_URL, unless the environment sets it).
run: export PORTAL_SITE_URL ?= http://127.0.0.1:$(PORT)
run: content
	@echo "Portail : $$PORTAL_SITE_URL/ (courriels affichés ci-dessous)"
	@$(PY) manage.py db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-test node_modules/.package-lock.json
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Backup of the database and the media into backups/<timestamp>/ (docs/deploiement.md).
# Load the production environment first (DATABASE_URL, DJANGO_MEDIA_ROOT...).
backup: install
	$(PY) manage.py backup $(if $(BACKUP_DIR),--dest "$(BACKUP_DIR)")

# make restore BACKUP=backups/<timestamp> [NOINPUT=1 to skip the confirmation]
restore: install
	@test -n "$(BACKUP)" || { echo "Indiquez la sauvegarde : make restore BACKUP=backups/<horodatage>"; exit 2; }
	$(PY) manage.py restore "$(BACKUP)" $(if $(NOINPUT),--noinput)

# Performance benchmark (bench/README.md): a large dataset in the PostgreSQL database
# petr_bench, gunicorn with the production settings, wrk on 127.0.0.1. Options:
# make bench BENCH_ARGS="--scale 0.1 --duration 5" (python -m bench.run --help).
# Then the demo content (load_territoire + load_demo, database petr_bench_demo), page cache
# off: what a signed-in member or the first visitor after an edit gets.
BENCH_DEMO_ARGS ?= --all-pages
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Then the worker sending one piece of news to 1,000 and 5,000 followers (bench/followers.py,
# in a throwaway test_petr_bench_follow database; aiosmtpd from requirements-test.txt).
# Then the reading of an uploaded PDF's accessibility on 500-page files (bench/pdf_reading.py).
FOLLOWERS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/petr_bench_follow
# Last, the rapport d'avancement of the last twelve months, gathered, as a page and as a PDF
# (bench/report_build.py), with the demo content and at scale 1, each in a database of its
# own that it recreates.
REPORT_DEMO_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/petr_bench_report_demo
REPORT_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/petr_bench_report
bench: install-test
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }
	@pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL ne répond pas sur 127.0.0.1:5432"; exit 2; }
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m bench.run --demo --cache off $(BENCH_DEMO_ARGS)
	DATABASE_URL=$(FOLLOWERS_DATABASE_URL) $(PY) -m bench.followers
	$(PY) bench/pdf_reading.py
	DATABASE_URL=$(REPORT_DEMO_DATABASE_URL) $(PY) -m bench.report_build --demo
	DATABASE_URL=$(REPORT_DATABASE_URL) $(PY) -m bench.report_build --scale 1

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
