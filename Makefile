# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
# Bytecode is cached (__pycache__/, ignored by git) even where the environment turns that off:
# every test process, Celery worker and manage.py call of a run would otherwise compile the
# project again (the suite's collection alone: 7 s instead of 2.5 s, on each xdist worker).
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test smoke lint format migrate demo worker clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Dependencies come from the hash-pinned lock files (requirements/, refreshed by `make lock`);
# the project itself is installed editable without dependencies on top. A changed lock file or
# pyproject.toml reinstalls.
$(VENV)/.installed: pyproject.toml requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements/base.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

# Re-resolve the lock files from pyproject.toml: for Python 3.11 on Linux (the image's and CI's
# platform) whatever machine runs it, every pin with the hashes of all its published files.
# base.txt is what the image installs; dev.txt adds the development tools with the same pins.
LOCK := $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock"
lock: $(VENV)/.installed-dev
	$(LOCK) $(LOCK_ARGS) -o requirements/base.txt
	$(LOCK) $(LOCK_ARGS) --extra dev -c requirements/base.txt -o requirements/dev.txt

# Test tools from npm (package.json + lock): the Nu HTML checker's vnu.jar for the page walk
# (tests/browser/test_wandeling.py; it runs on the system's java). --ignore-scripts: vnu-jar's
# install script would download a Java runtime; Debian's JRE is used instead. Without npm the
# walk's HTML check fails in CI and says so locally.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The demo on the embedded defaults: SQLite under var/, tasks in-process (or a Celery worker and
# beat when REDIS_URL is set), e-mail as files under var/mail/. The worker stops with the server
# (Ctrl-C, or any other way the server ends).
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(VENV)/.installed
	mkdir -p var
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py demo
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL is set: starting a Celery worker with beat"; \
	  DEBUG=true $(BIN)/celery -A kindkans worker --beat --loglevel=INFO \
	    --schedule=var/celerybeat-schedule & \
	  worker=$$!; \
	  trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null; exit' EXIT INT TERM; \
	fi; \
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

# In parallel with pytest-xdist, one worker process per core (TEST_WORKERS=1 for one process);
# loadgroup keeps tests that share a started Celery worker on one process (tests/conftest.py).
NPM_TOOLS := $(if $(shell command -v npm),node_modules/.installed,)
TEST_WORKERS ?= auto
test: $(VENV)/.installed-dev $(NPM_TOOLS)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The production smoke (deploy/smoke/smoke.py): nginx + TLS, gunicorn, PostgreSQL, Redis, a Celery
# worker and beat, S3 (moto) and SMTP (aiosmtpd) started as processes with production settings,
# then a school's and the loket's steps over HTTPS. Needs PostgreSQL on 127.0.0.1:5432 and Redis
# on 127.0.0.1:6379 (SMOKE_POSTGRES_URL, SMOKE_REDIS_URL), nginx, openssl and LibreOffice.
smoke: $(VENV)/.installed-dev
	$(BIN)/python deploy/smoke/smoke.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var
