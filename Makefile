# Two commands on a fresh machine: `make run` (demo on SQLite) and `make test` (whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_CASES ?= 400
PYTEST_ARGS ?=
# `make test` runs the suite in this many processes (pytest-xdist; each has its own test
# database and Redis database, see msp/settings.py). TEST_PROCESSES=0 runs it in one.
TEST_PROCESSES ?= 2

# Only for the test run: production code refuses to start without a real SECRET_KEY and AUDIT_HMAC_KEY.
TEST_ENV := SECURE_SSL_REDIRECT=false STATIC_MANIFEST=false SECRET_KEY=test-only-secret-key-not-for-production-0123456789abcdefghijkl AUDIT_HMAC_KEY=test-only-audit-hmac-key-not-for-production-0123456789 DJANGO_ALLOW_ASYNC_UNSAFE=true
DEMO_ENV := DEBUG=true REQUIRE_2FA=false


.PHONY: magic-lib
.PHONY: run test lint bench loadtest faulttest worker beat reminders install system-deps clean security journeys fuzz audit

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

# Debian packages the browser tests and PDF checks use (installed only when missing).
# libmagic (python-magic reads uploaded documents' types with it) is needed by `make run` too.
magic-lib:
	@if ! ldconfig -p 2>/dev/null | grep -q 'libmagic\.so\.1'; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libmagic1 >/dev/null; \
		else echo "Install Debian's libmagic1 (sudo apt-get install libmagic1): document uploads need it."; fi; \
	fi

system-deps: magic-lib
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils libmagic1 >/dev/null; \
		else echo "Install Debian's chromium and poppler-utils (sudo apt-get install chromium poppler-utils libmagic1) for the browser tests."; fi; \
	fi

run: install magic-lib
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(DEMO_ENV) $(BIN)/python manage.py generate_demo_data --cases $(DEMO_CASES) --seed 1 --if-empty
	@echo
	@echo "  Demo running at http://127.0.0.1:8000  (SQLite, Celery tasks run in-process)"
	@echo "  Two-factor authentication is OFF for this demo (REQUIRE_2FA=false); it is on by default."
	@$(DEMO_ENV) $(BIN)/python manage.py demo_logins
	@echo
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install system-deps
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/ruff check .
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run -v1
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_PROCESSES) $(PYTEST_ARGS)

# The security suite alone (docs/security.md "Assurance"): no browser, no worker.
SECURITY_TESTS := tests/test_csrf.py tests/test_get_changes_nothing.py tests/test_output_escaping.py \
	tests/test_security_headers.py tests/test_cookies.py tests/test_personal_data_sentinels.py tests/test_form_fuzz.py \
	accounts/tests/test_url_access.py accounts/tests/test_sessions_end.py accounts/tests/test_idle_timeout.py \
	accounts/tests/test_lockout.py accounts/tests/test_two_factor.py accounts/tests/test_logging.py \
	accounts/tests/test_check_deploy.py accounts/tests/test_audit_integrity.py accounts/tests/test_audit_tamper.py \
	accounts/tests/test_audit_keyed_chain.py reporting/tests/test_pdf_fetcher.py
SECURITY_TESTS += accounts/tests/test_credential_attacks.py accounts/tests/test_account_links.py accounts/tests/test_account_mail.py
# Separation of duties, access review, account-change audit, restricted cases (issue 12).
SECURITY_TESTS += accounts/tests/test_separation_of_duties.py accounts/tests/test_account_change_audit.py \
	accounts/tests/test_access_review.py cases/tests/test_restricted_cases.py
# Notification mail holds no personal data; two beats send each digest once (issue 18).
SECURITY_TESTS += notifications/tests/test_digest_mail.py notifications/tests/test_pages.py notifications/tests/test_schedule.py

security: install
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(TEST_ENV) $(BIN)/pytest $(SECURITY_TESTS) $(PYTEST_ARGS)

# Every browser test (role journeys, keyboard-only concern form) with axe-core on each page.
journeys: install system-deps
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(TEST_ENV) $(BIN)/pytest -m browser $(PYTEST_ARGS)

# Longer fuzzing than CI's: FUZZ_EXAMPLES examples per form.
FUZZ_EXAMPLES ?= 100
fuzz: install
	$(TEST_ENV) FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/test_form_fuzz.py $(PYTEST_ARGS)

# Known vulnerabilities in every package installed in the virtualenv (the pinned requirements
# and everything they pull in). It needs PyPI's JSON API (or api.osv.dev: PIP_AUDIT_SERVICE=osv);
# when that cannot be reached it stops with exit 1 and says nothing was checked, never "clean",
# and --strict fails the audit if any single package could not be checked.
PIP_AUDIT_SERVICE ?= pypi
audit: install
	@$(BIN)/python -c "import urllib.request as u; u.urlopen('https://pypi.org/pypi/pip/json' if '$(PIP_AUDIT_SERVICE)' == 'pypi' else 'https://api.osv.dev/', timeout=10)" 2>/dev/null \
		|| { echo "pip-audit: the $(PIP_AUDIT_SERVICE) vulnerability service cannot be reached from this machine; NOTHING WAS CHECKED."; exit 1; }
	$(BIN)/pip-audit --strict --progress-spinner off --vulnerability-service $(PIP_AUDIT_SERVICE)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

worker: install
	$(BIN)/celery -A msp worker -l info --concurrency 2

# Celery beat: the scheduled work (reminders sweep, daily digest, audit check, dormant accounts,
# one-time keys). One beat per installation; a second by mistake does no double work.
beat: install
	$(BIN)/celery -A msp beat -l info --schedule /tmp/msp-celerybeat-schedule

# Run the beat schedule's tasks once, in-process (the demo: SQLite, tasks eager).
reminders: install
	$(DEMO_ENV) $(BIN)/python manage.py run_reminders

bench: install
	$(TEST_ENV) DEBUG=false $(BIN)/python -m bench.run

# Fault tests (not in the default run): Redis down/restarted, PostgreSQL connection cut,
# and the worker killed mid-report (reporting/tests/test_worker.py, which CI runs too).
faulttest: install
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(TEST_ENV) $(BIN)/pytest -m "fault or worker" tests/test_faults.py reporting/tests/test_worker.py notifications/tests/test_worker_digest.py $(PYTEST_ARGS)

# Load test (long; not in CI): gunicorn + PostgreSQL + Redis + worker, locust on 127.0.0.1.
USERS ?= 100
DURATION ?= 5m
CASES ?= 100000
loadtest: install
	USERS=$(USERS) DURATION=$(DURATION) CASES=$(CASES) $(BIN)/python -m bench.load.run

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 media
