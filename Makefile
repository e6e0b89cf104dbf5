# Lotsen — the two commands a new user needs:
#   make demo   start the demo on http://127.0.0.1:8000 (embedded PostgreSQL unless DATABASE_URL is set)
#   make test   the whole quality gate: ruff, format, mypy, makemigrations --check, pytest incl. browser tests
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
INHABITANTS ?= 30000
YEARS ?= 3
SEED ?= 2026
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
PYTEST_WORKERS ?= 2

.PHONY: demo demo-reset test lint typecheck migrations-check pytest bench deps assets chromium messages clean

# --- installation (idempotent, stamp files keep re-runs fast) ---------------------------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.stamp-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

lotsen/core/static/build/lotsen.css: node_modules/.package-lock.json lotsen/core/assets/lotsen.scss scripts/copy-assets.mjs
	npm run --silent build 2>&1 | grep -v -E '^(WARNING|Deprecation|    |$$|More info|npm warn)' || true
	test -f $@

# Compiled translations (.mo) are built from the committed .po files.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard lotsen/locale/*/LC_MESSAGES/*.po lotsen/*/locale/*/LC_MESSAGES/*.po))
%.mo: %.po
	@command -v msgfmt >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gettext)
	msgfmt --check-format -o $@ $<

deps: $(VENV)/.stamp-deps
assets: lotsen/core/static/build/lotsen.css $(MO_FILES)

# Browser tests use Debian's Chromium (Playwright's own browser download is not available offline).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	fi

# --- demo ----------------------------------------------------------------------------------------------
demo: deps assets
	$(BIN)/lotsen migrate --noinput -v 0
	$(BIN)/lotsen seed-demo --if-empty --inhabitants $(INHABITANTS) --years $(YEARS) --seed $(SEED)
	@echo ""
	@echo "Lotsen demo: http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	$(BIN)/lotsen runserver $(HOST):$(PORT)

demo-reset: deps
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "demo-reset drops the tables of DATABASE_URL's database"; \
	  $(BIN)/lotsen flush --noinput; \
	else \
	  rm -rf var/pg; \
	fi
	$(MAKE) demo

# --- quality gate --------------------------------------------------------------------------------------
lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: deps
	$(BIN)/mypy lotsen config

migrations-check: deps
	$(BIN)/lotsen makemigrations --check --dry-run

pytest: deps assets chromium
	$(BIN)/pytest -n $(PYTEST_WORKERS) --create-db --cov --cov-report=term:skip-covered -q

test: lint typecheck migrations-check pytest

bench: deps assets
	$(BIN)/python bench/run.py

# Refresh the Swedish catalogues: `make messages` lists untranslated strings per catalogue.
messages: deps
	for app in foundation $$(cd lotsen && ls -d */locale 2>/dev/null | cut -d/ -f1); do \
	  $(BIN)/python scripts/messages.py $$app; done

clean:
	rm -rf $(VENV) node_modules lotsen/core/static/build var/static .pytest_cache .mypy_cache .ruff_cache
