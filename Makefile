# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: install run test lint format migrate bench e2e clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

migrate: install
	$(PY) manage.py migrate --noinput

# The embedded default: SQLite, tasks in-process, demo data, debug server.
run: migrate
	$(PY) manage.py seed_demo
	@echo "Serving http://127.0.0.1:8000 (sign in with a demo login above)"
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

# The Nu Html Checker for the page validity test, when npm is here (the test skips without it, except in CI).
# (npm writes node_modules/.package-lock.json fresh; the jar keeps the tarball's old date.)
VNU := .ci/vnu/node_modules/.package-lock.json
$(VNU): .ci/vnu/package-lock.json
	-command -v npm >/dev/null 2>&1 && npm ci --prefix .ci/vnu --ignore-scripts --no-audit --no-fund

# Two processes (pytest-xdist), each with a test database and a Redis database of its own.
test: install $(VNU)
	$(PY) -m pytest -n 2 --dist worksteal

# Only the browser journeys (Debian's Chromium); `make test` runs them too.
e2e: install
	$(PY) -m pytest -m browser

# Seeds a large clinic in its own PostgreSQL database, then measures (README, "Benchmarks").
# BENCH_ARGS=--reuse keeps an already seeded database; --quick shortens the time bounds.
bench: install
	$(PY) -m bench $(BENCH_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/djlint templates --lint

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .
	$(VENV)/bin/djlint templates --reformat

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
