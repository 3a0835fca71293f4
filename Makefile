# MotCua developer commands. Everything runs from the virtualenv in .venv.
#
#   make install   create .venv, install the project + dev deps, compile translations
#   make demo      install what it needs, migrate, collect static files, load
#                  demo data, serve on :8000 (each step timed)
#   make test      the whole test suite on SQLite, then on a throwaway PostgreSQL
#   make lint      ruff (lint + format check), mypy and import rules (lint-imports)
#   make bench     deadline engine benchmark, then the HTTP benchmark (recorded)
#   make schema    regenerate docs/openapi.json (the API schema the tests compare)
#   make prod-check the production stack on 127.0.0.1: smoke and load test, then stop
#
# Variables: PYTEST_ARGS (extra pytest arguments, e.g. PYTEST_ARGS='-k due -x'),
# TEST_DBS (databases for `make test`, default "sqlite postgres"),
# DEMO_HOST (address of the demo web server, default 127.0.0.1:8000),
# DEMO_GATEWAY_PORT (the demo's fake SMS/Zalo gateway, default 8099),
# DEMO_IDP_PORT and DEMO_PAY_PORT (its VNeID-style sign-in and payment gateway,
# default 8097 and 8098),
# DEMO_WORKER (one more command run in the background beside the demo),
# BENCH_DOSSIERS (dossiers generated for `make bench`, default 20000).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MOTCUA := $(VENV)/bin/motcua
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime

PYTEST_ARGS ?=
MYPY_PACKAGES := $(addprefix src/motcua/,core deadlines agencies catalog dossiers \
	reports evaluation law slips signing backoffice portal demo security privacy \
	notifications webhooks citizens online payments feedback letters integrations \
	nationalportal exchange config)
TEST_DBS ?= sqlite postgres
DEMO_HOST ?= 127.0.0.1:8000
# `make demo` starts beside the web server: a fake SMS/Zalo gateway on
# 127.0.0.1:$(DEMO_GATEWAY_PORT), the outbox worker pointed at it (e-mails as
# files in var/mail), the scheduler, and DEMO_WORKER when given. All stop with
# the web server (Ctrl-C).
DEMO_GATEWAY_PORT ?= 8099
DEMO_GATEWAY := http://127.0.0.1:$(DEMO_GATEWAY_PORT)
# the citizens' half: a VNeID-style OpenID Connect provider and a payment gateway,
# both fakes on 127.0.0.1 with demo people and demo money
DEMO_IDP_PORT ?= 8097
DEMO_IDP := http://127.0.0.1:$(DEMO_IDP_PORT)
DEMO_PAY_PORT ?= 8098
DEMO_PAY := http://127.0.0.1:$(DEMO_PAY_PORT)
# the demo sends SMS at any hour; DEMO_SMS_QUIET_HOURS=21:00-07:00 to see the hold
DEMO_SMS_QUIET_HOURS ?=
DEMO_WORKER ?=

.PHONY: help install system-deps test-system-deps vendor-js demo test lint bench schema \
	prod-check

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

# Reinstall only when pyproject.toml changed since the last install. The demo
# needs the project's own dependencies only (RUNTIME_STAMP); the other targets
# the dev tools too (STAMP, which implies it). --no-compile: Python compiles a
# module when it is first imported, not all 100-odd packages at install.
PIP_INSTALL := tools/timed.sh "install: pip install" "gói" \
	"ls -d $(VENV)/lib/python*/site-packages/*.dist-info | wc -l" -- \
	$(PY) -m pip install --disable-pip-version-check -q --no-compile

$(STAMP): pyproject.toml | $(PY)
	@$(PIP_INSTALL) -e '.[dev]'
	touch $(STAMP) $(RUNTIME_STAMP)

$(RUNTIME_STAMP): pyproject.toml | $(PY)
	@if [ $(STAMP) -nt pyproject.toml ]; then true; else $(PIP_INSTALL) -e .; fi
	touch $(RUNTIME_STAMP)

ifneq ($(MO_FILES),)
$(MO_FILES) &: $(PO_FILES) $(RUNTIME_STAMP)
	MOTCUA_SECRET_KEY=build-only $(MOTCUA) compiletranslations
	touch $(MO_FILES)
endif

# The demo always uses the SQLite database in var/, whatever DATABASE_URL says.
# demo_prepare: migrations, cache table, static files (compressed quickly, only
# what changed) and the demo data, in one process, each step timed. The web
# server starts first; the helpers once its first page has answered.
demo: system-deps $(RUNTIME_STAMP) $(MO_FILES) vendor-js
	env -u DATABASE_URL $(MOTCUA) demo_prepare
	@echo "MotCua demo on http://$(DEMO_HOST)/ (Ctrl-C to stop)"
	@mkdir -p var/mail
	@pids=""; \
	trap 'kill $$pids 2>/dev/null; wait $$pids 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	export MOTCUA_SMS_URL='$(DEMO_GATEWAY)/sms' MOTCUA_ZALO_URL='$(DEMO_GATEWAY)/zalo' \
		MOTCUA_SMS_QUIET_HOURS='$(DEMO_SMS_QUIET_HOURS)' MOTCUA_PUBLIC_URL='http://$(DEMO_HOST)' \
		MOTCUA_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend \
		MOTCUA_EMAIL_FILE_PATH='$(CURDIR)/var/mail' \
		MOTCUA_RECEIPT_TOKEN="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(24))')" \
		MOTCUA_OIDC_SERVER_URL='$(DEMO_IDP)' MOTCUA_OIDC_CLIENT_ID=motcua-demo \
		MOTCUA_OIDC_CLIENT_SECRET="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(24))')" \
		MOTCUA_PAYMENT_PROVIDER=vnpay MOTCUA_VNPAY_TMN_CODE=MOTCUA01 \
		MOTCUA_VNPAY_HASH_SECRET="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(32))')" \
		MOTCUA_VNPAY_PAYMENT_URL='$(DEMO_PAY)/paymentv2/vpcpay.html' \
		MOTCUA_VNPAY_API_URL='$(DEMO_PAY)/merchant_webapi/api/transaction'; \
	env -u DATABASE_URL $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py \
		--workers 2 --bind $(DEMO_HOST) motcua.config.wsgi & web=$$!; pids="$$pids $$web"; \
	$(PY) tools/wait-http.py 'http://$(DEMO_HOST)/' --timeout 120 || true; \
	env -u DATABASE_URL $(MOTCUA) demo_gateway --port $(DEMO_GATEWAY_PORT) \
		--receipts-url 'http://$(DEMO_HOST)/api/v1/notifications/receipts/' & pids="$$pids $$!"; \
	echo "demo: fake SMS/Zalo gateway on $(DEMO_GATEWAY)/ (pid $$!)"; \
	env -u DATABASE_URL $(MOTCUA) demo_idp --port $(DEMO_IDP_PORT) \
		--client-secret "$$MOTCUA_OIDC_CLIENT_SECRET" & pids="$$pids $$!"; \
	echo "demo: VNeID-style sign-in (test OpenID Connect provider) on $(DEMO_IDP)/ (pid $$!)"; \
	env -u DATABASE_URL $(MOTCUA) demo_payment_gateway --port $(DEMO_PAY_PORT) \
		--ipn-url 'http://$(DEMO_HOST)/api/v1/payments/ipn/vnpay/' & pids="$$pids $$!"; \
	echo "demo: fake payment gateway on $(DEMO_PAY)/ (pid $$!)"; \
	env -u DATABASE_URL $(MOTCUA) worker --sleep 2 & pids="$$pids $$!"; \
	echo "demo: notification worker (pid $$!), e-mails written to var/mail/"; \
	env -u DATABASE_URL $(MOTCUA) scheduler & pids="$$pids $$!"; \
	echo "demo: scheduler (pid $$!)"; \
	if [ -n "$(DEMO_WORKER)" ]; then \
		env -u DATABASE_URL $(DEMO_WORKER) & pids="$$pids $$!"; \
		echo "demo: $(DEMO_WORKER) (pid $$!)"; \
	fi; \
	wait $$web

# The API schema committed in docs/openapi.json (tests/test_openapi_schema.py
# compares it with the generated one): regenerate after changing an API.
schema: install
	MOTCUA_SECRET_KEY=build-only $(MOTCUA) spectacular --format openapi-json --lang vi \
		--validate --fail-on-warn --file docs/openapi.json

# PostgreSQL, gunicorn, the worker, the scheduler and nginx from Debian packages,
# started as in deploy/ on 127.0.0.1; a smoke test and a short load test
# (tools/prod-check.sh, a few minutes); everything stopped at the end.
prod-check: install
	@tools/system-deps.sh prod
	tools/prod-check.sh

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

# bench/http.py: a throwaway PostgreSQL, BENCH_DOSSIERS generated dossiers, gunicorn
# on 127.0.0.1, wrk per scenario at 1 and 16 connections, pgbench; appends the
# table to bench/RESULTS.md (about 12 min at 20,000 on 2 cores). -P: bench/http.py
# must not stand for the standard library's http module.
BENCH_DOSSIERS ?= 20000
bench: install
	@tools/system-deps.sh bench
	$(PY) bench/deadlines.py
	$(PY) -P bench/http.py --dossiers $(BENCH_DOSSIERS) --record
