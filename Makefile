# Two commands do everything from a fresh clone (Debian/Ubuntu, Python 3.11+):
#   make run    serve the shop on http://127.0.0.1:$(PORT) (SQLite in instance/, demo catalog loaded)
#   make test   install what the tests need, run make lint, then the whole suite on SQLite and on PostgreSQL
#   make lint   ruff, mypy and the import-linter contracts (part of make test)
#   make bench  throughput of every page type against a bare Flask app (not part of make test; bench/README.md)
#   make reliability  the reliability suite against gunicorn with its 60-second soak, on SQLite and PostgreSQL
PYTHON ?= python3
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
FLASK := APP_ENV=$${APP_ENV:-development} $(BIN)/flask --app wsgi
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run worker lint test test-sqlite test-postgres reliability install install-dev system-packages translations db demo bench profile clean

run: install translations db demo
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Sends the outbox's e-mails (to instance/mail/*.eml unless MAIL_SERVER is set) and frees abandoned stock.
worker: install db
	$(FLASK) worker

# Runtime packages; the stamp file is rebuilt when requirements change.
$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install -q -r requirements.txt
	touch $@
$(VENV)/.installed-dev: requirements.txt requirements-dev.txt package.json | $(BIN)/activate
	$(BIN)/pip install -q -r requirements-dev.txt
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error   # vnu.jar, the Nu Html Checker
	touch $(VENV)/.installed $@
install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: install
	$(FLASK) i18n compile >/dev/null

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo load

# Debian's Chromium for the browser tests, PostgreSQL for the second run, wrk for `make bench`,
# nginx and systemd-analyze to check deploy/ (tests/operations/test_deploy.py);
# never a downloaded browser.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	command -v nginx >/dev/null || missing="$$missing nginx"; \
	command -v systemd-analyze >/dev/null || missing="$$missing systemd"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
		echo "=== apt-get install$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-upgrade $$missing >/dev/null; \
	fi

# Static checks, first step of make test (CONTRIBUTING.md): ruff (pyflakes, import order, gettext rules),
# and mypy on app/.
lint: install-dev
	@echo "=== ruff"
	$(BIN)/ruff check app tests bench migrations wsgi.py gunicorn.conf.py
	@echo "=== mypy app/"
	$(BIN)/mypy

test: system-packages install-dev translations
	$(MAKE) --no-print-directory lint
	@echo "=== bandit: no finding of medium severity or above"
	$(BIN)/bandit -q -r app -ll
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# Both runs include tests/reliability (gunicorn driven over HTTP, about 3 min each, with a 10 s soak).
test-sqlite:
	@echo "=== tests on SQLite (browser journeys and the reliability suite included)"
	$(BIN)/python -m pytest -q

test-postgres:
	@echo "=== tests on PostgreSQL (throwaway cluster on 127.0.0.1)"
	.ci/with-postgres $(BIN)/python -m pytest -q -m "not browser"

# The reliability suite alone (README, "Reliability"), with the soak at its full 60 s.
RELIABILITY_SOAK_SECONDS ?= 60
reliability: system-packages install-dev translations
	@echo "=== reliability suite on SQLite ($(RELIABILITY_SOAK_SECONDS) s soak)"
	RELIABILITY_SOAK_SECONDS=$(RELIABILITY_SOAK_SECONDS) $(BIN)/python -m pytest -q -m reliability tests/reliability
	@echo "=== reliability suite on PostgreSQL ($(RELIABILITY_SOAK_SECONDS) s soak)"
	RELIABILITY_SOAK_SECONDS=$(RELIABILITY_SOAK_SECONDS) .ci/with-postgres $(BIN)/python -m pytest -q -m reliability tests/reliability

# Measures, never asserts: builds the benchmark catalog once in $(BENCH_DIR) (about 5 min), then drives
# the production server and a bare Flask app with wrk. BENCH_ARGS passes options (bench/run.py --help).
BENCH_DIR ?= /var/tmp/refurb-bench
bench: install-dev
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-upgrade wrk >/dev/null; }
	BENCH_DIR=$(BENCH_DIR) $(BIN)/python bench/run.py $(BENCH_ARGS)

# One request of each page type under pyinstrument; reports in bench/profiles/.
profile: install-dev
	BENCH_DIR=$(BENCH_DIR) $(BIN)/python bench/profile.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance node_modules translations/*/LC_MESSAGES/*.mo
