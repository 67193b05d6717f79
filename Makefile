# Two commands matter: `make run` (serve the demo) and `make test` (run every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PO := $(wildcard planner/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install translations browser run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the package metadata changes.
$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Message catalogues are compiled by the build, never committed.
%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

translations: $(MO)

install: $(STAMP) translations

run: install
	$(BIN)/planner db upgrade
	$(BIN)/planner demo --if-empty
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C stops)"
	$(BIN)/planner run --host $(HOST) --port $(PORT)

# Browser tests drive Debian's Chromium (Playwright's own browser download cannot work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium from Debian for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

test: install browser
	$(BIN)/ruff check planner tests bench
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check planner tests bench
	$(BIN)/ruff format --check planner tests bench

bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis $(MO)
