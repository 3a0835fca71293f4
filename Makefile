# MotCua developer commands. Everything runs from the virtualenv in .venv.
#
#   make install   create .venv, install the project + dev deps, compile translations
#   make demo      migrate, collect static files, load demo data, serve on :8000
#   make test      the whole test suite on SQLite, then on a throwaway PostgreSQL
#   make lint      ruff (lint + format check), mypy and import rules (lint-imports)
#   make bench     deadline engine benchmark
#
# Variables: PYTEST_ARGS (extra pytest arguments, e.g. PYTEST_ARGS='-k due -x'),
# TEST_DBS (databases for `make test`, default "sqlite postgres"),
# DEMO_WORKER (a command run in the background beside the demo web server).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MOTCUA := $(VENV)/bin/motcua
STAMP := $(VENV)/.installed

PYTEST_ARGS ?=
MYPY_PACKAGES := $(addprefix src/motcua/,core deadlines agencies catalog dossiers \
	reports evaluation law slips signing backoffice portal demo security privacy)
TEST_DBS ?= sqlite postgres
DEMO_HOST := 127.0.0.1:8000
# The background task worker arrives with a later issue; `make demo` starts
# whatever command is given here beside the web server, e.g.
#   make demo DEMO_WORKER='.venv/bin/motcua run_worker'
DEMO_WORKER ?=

.PHONY: help install system-deps test-system-deps vendor-js demo test lint bench

help:
	@sed -n 's/^#   make /make /p' $(firstword $(MAKEFILE_LIST))

# Translations (.po → .mo) are build output, compiled in pure Python (no gettext).
PO_FILES := $(wildcard src/motcua/locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

install: system-deps $(STAMP) $(MO_FILES) vendor-js

# Front-end libraries (Chart.js) from the npm registry, checked against
# tools/vendor-js.lock, into src/motcua/static/vendor/ (never committed).
vendor-js:
	@tools/vendor-js.sh

# Debian packages (Pango and fonts for PDF slips; Chromium for browser tests).
system-deps:
	@tools/system-deps.sh runtime

test-system-deps:
	@tools/system-deps.sh test

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[dev]'
	touch $(STAMP)

ifneq ($(MO_FILES),)
$(MO_FILES) &: $(PO_FILES) $(STAMP)
	MOTCUA_SECRET_KEY=build-only $(MOTCUA) compiletranslations
	touch $(MO_FILES)
endif

# The demo always uses the SQLite database in var/, whatever DATABASE_URL says.
demo: install
	env -u DATABASE_URL $(MOTCUA) migrate --noinput
	env -u DATABASE_URL $(MOTCUA) createcachetable
	env -u DATABASE_URL $(MOTCUA) collectstatic --noinput -v0
	env -u DATABASE_URL $(MOTCUA) load_demo
	@echo "MotCua demo on http://$(DEMO_HOST)/ (Ctrl-C to stop)"
	@worker=""; \
	if [ -n "$(DEMO_WORKER)" ]; then \
		echo "demo worker: $(DEMO_WORKER)"; \
		env -u DATABASE_URL $(DEMO_WORKER) & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	fi; \
	env -u DATABASE_URL $(MOTCUA) runserver $(DEMO_HOST) --noreload

test: install test-system-deps
	TEST_DBS='$(TEST_DBS)' tools/run-tests.sh $(PYTEST_ARGS)

# Runs every check and fails at the end if any failed.
lint: install
	@status=0; \
	echo "== ruff check"; $(VENV)/bin/ruff check src tests bench || status=1; \
	echo "== ruff format --check"; $(VENV)/bin/ruff format --check src tests bench || status=1; \
	echo "== mypy"; $(VENV)/bin/mypy $(MYPY_PACKAGES) || status=1; \
	echo "== lint-imports"; $(VENV)/bin/lint-imports --no-cache || status=1; \
	exit $$status

bench: install
	$(PY) bench/deadlines.py
