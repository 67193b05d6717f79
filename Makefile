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

.PHONY: install translations system browser run test lint bench clean serve bench-web

# uv (from PyPI) installs the dependencies in seconds where pip takes a minute or more; if
# uv cannot be had or fails, pip does the same install. -qq: errors only, no progress bars.
$(BIN)/python:
	@echo "Creating $(VENV) with the planner and its dependencies (uv, or pip if uv fails)"
	@$(PYTHON) -m venv $(VENV)
	-@$(BIN)/pip install -qq uv

# Reinstall only when the package metadata changes.
$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	@$(BIN)/uv pip install -q --python $(BIN)/python -e '.[test]' 2>/dev/null \
	  || $(BIN)/pip install -qq -e '.[test]'
	@touch $(STAMP)

# Message catalogues are compiled by the build, never committed.
%.mo: %.po $(STAMP)
	@$(BIN)/pybabel --quiet compile --use-fuzzy -i $< -o $@

translations: $(MO)

install: $(STAMP) translations system

# One start for the migrations and the demo; the migrations' log (standard error) goes to a
# file and shows only when something fails.
run: install
	@$(BIN)/planner demo --upgrade --if-empty --host $(HOST) --port $(PORT) \
	  2> $(VENV)/demo.log || { cat $(VENV)/demo.log; exit 1; }
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C stops)"
	@$(BIN)/planner run --host $(HOST) --port $(PORT)

# Debian packages: only what is needed, without recommended extras; apt's log goes to a file
# and shows only when the install fails.
APT_LOG := /tmp/barcamp-planner-apt.log
APT_INSTALL = $(SUDO) apt-get update -qq > $(APT_LOG) 2>&1 \
	&& DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends
APT_FAILED = { tail -n 30 $(APT_LOG); exit 1; }

# WeasyPrint draws PDFs with Pango; DejaVu covers German and the symbols on the signs.
system:
	@ldconfig -p | grep -q libpangoft2-1.0 && [ -d /usr/share/fonts/truetype/dejavu ] || { \
	  echo "Installing Pango and fonts from Debian for the PDF downloads"; \
	  $(APT_INSTALL) libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >> $(APT_LOG) 2>&1 \
	    || $(APT_FAILED); }

# Browser tests drive Debian's Chromium (Playwright's own browser download cannot work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium from Debian for the browser tests"; \
	  $(APT_INSTALL) chromium >> $(APT_LOG) 2>&1 || $(APT_FAILED); }

# axe-core checks accessibility inside the browser tests; the lock file pins it.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

# Test files run in parallel (pytest-xdist, one worker per core; a file's tests stay
# together and in order); the 15 slowest tests are listed at the end.
PYTEST_ARGS ?= -n auto --dist loadfile --durations=15
test: install browser node_modules/axe-core/axe.min.js
	$(BIN)/ruff check planner tests bench
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check planner tests bench
	$(BIN)/ruff format --check planner tests bench

# The session plans (bench/run.py), then the table rounds (bench/rounds.py).
bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)
	$(BIN)/python -m bench.rounds $(BENCH_ROUNDS_ARGS)

clean:
	rm -rf $(VENV) node_modules build *.egg-info .pytest_cache .ruff_cache .hypothesis $(MO)

# Production serving under gunicorn (gunicorn.conf.py: workers, threads, timeout, and why) on
# 127.0.0.1:8000; `make serve HOST=0.0.0.0 PORT=9000` (or the environment) moves it. PORT's
# default above is `make run`'s 5000, so 8000 applies unless PORT was given.
serve: install
	$(BIN)/planner db upgrade
	$(BIN)/gunicorn --config gunicorn.conf.py \
	  --bind $(HOST):$(if $(filter file,$(origin PORT)),8000,$(PORT)) 'planner:create_app()'

# The lunch-break rush against gunicorn with the demo (bench/web.py): on a fresh SQLite file, or
# on the PostgreSQL database DATABASE_URL names (its public schema is dropped first). Then, in
# Chromium, the wait from the click on "Plan erstellen" to the plan on the board, against the
# solver's time limit (bench/board.py, on a fresh SQLite file).
bench-web: install browser
	$(BIN)/python -m bench.web $(BENCH_WEB_ARGS)
	$(BIN)/python -m bench.board $(BENCH_BOARD_ARGS)
