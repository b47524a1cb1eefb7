# The README's commands. `make run` and `make test` are the two a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test smoke lint format migrations-check worker beat clean
NPM ?= npm

$(VENV)/.installed-runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The browser tests' accessibility rules (axe-core), exactly as package-lock.json pins them. Without npm the audit
# is skipped, like every test whose tool is missing (and fails under CI=true: .ci/run installs Node.js).
node_modules/.installed: package.json package-lock.json
	@if command -v $(NPM) >/dev/null; then $(NPM) ci --no-audit --no-fund && touch $@; \
	else echo "npm not found: the page tests' accessibility audit (axe-core) will be skipped"; fi

## Set up and serve the app with demo data at http://127.0.0.1:$(PORT) (SQLite, tasks in-process by default).
run: $(VENV)/.installed-runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## Run the whole test suite against the configured DATABASE_URL / REDIS_URL (see README).
# Two processes (pytest-xdist), then the tests that stop and start the servers under the app, alone.
TEST_PROCESSES ?= 2
test: $(VENV)/.installed-dev node_modules/.installed
	$(VENV)/bin/pytest --numprocesses=$(TEST_PROCESSES) --durations=10 --ignore=tests/infra
	$(VENV)/bin/pytest tests/infra

## The production install proved: requirements.txt alone, gunicorn + a worker on DATABASE_URL / REDIS_URL.
smoke:
	bash .ci/smoke.sh

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(VENV)/.installed-runtime
	$(PY) manage.py makemigrations --check --dry-run

## A Celery worker for the configured REDIS_URL (the same command docker-compose runs).
worker: $(VENV)/.installed-runtime
	$(VENV)/bin/celery -A config worker --loglevel=INFO

## Celery's scheduler for periodic tasks (one per deployment).
beat: $(VENV)/.installed-runtime
	$(VENV)/bin/celery -A config beat --loglevel=INFO

clean:
	rm -rf $(VENV) .venv-prod node_modules staticfiles db.sqlite3 .pytest_cache
