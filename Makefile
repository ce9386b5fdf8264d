# jichitai: the two commands are `make run` and `make test`; see README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
JICHITAI := $(BIN)/jichitai
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest's workers: one per core (pytest-xdist; each has its own test database and live server).
# `make test PYTEST_WORKERS=0` runs the suite in one process.
PYTEST_WORKERS ?= auto
# Type-checked: core and every app's services and selectors, modules or packages, and those of an
# app's parts (procedures/documents); new apps are picked up by the wildcards.
TYPED = src/jichitai/core $(wildcard src/jichitai/*/services.py src/jichitai/*/services src/jichitai/*/selectors.py src/jichitai/*/selectors src/jichitai/*/*/selectors.py)

.PHONY: run test lint check install system-packages messages clean bench-submit bench-opendata bench-scale test-faults bench-ocr bench-automation bench-xlsform

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,ocr,rpa]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the product needs (Chromium for browser tests and browser automation, Japanese
# fonts for PDFs, unicode-data for the OCR's kanji variants, dovecot for the tests of the mail
# steps). Installed only when missing and only where apt is usable.
system-packages:
	@scripts/ensure-system-packages

run: install
	$(JICHITAI) migrate --noinput
	$(JICHITAI) demo
	@echo ""
	@echo "http://$(HOST):$(PORT)/ で起動します(職員ログイン: http://$(HOST):$(PORT)/accounts/login/)。停止は Ctrl+C。"
	@trap 'kill 0' INT TERM EXIT; \
	  $(JICHITAI) worker & \
	  $(BIN)/python -m legacy_system --host 127.0.0.1 --port 8199 & \
	  $(JICHITAI) runserver $(HOST):$(PORT)

test: install system-packages
	$(BIN)/ruff check src benchmarks faults
	$(BIN)/ruff format --check src benchmarks faults
	$(BIN)/lint-imports
	$(BIN)/mypy $(TYPED)
	$(JICHITAI) makemigrations --check --dry-run --settings=jichitai.settings.test
	scripts/check-translations
	$(BIN)/pytest --numprocesses=$(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src benchmarks faults
	$(BIN)/ruff format --check src benchmarks faults
	$(BIN)/lint-imports
	$(BIN)/mypy $(TYPED)

# The deploy check also reads the database for demo accounts: by default a fresh one under
# var/deploy-check/, as a new deployment has (set DATABASE_URL to check a real one).
check: install
	JICHITAI_VAR_DIR=$${JICHITAI_VAR_DIR:-var/deploy-check} \
	  DEBUG=0 SECRET_KEY=check-only-$$(date +%s)-a-long-random-looking-key-for-the-deploy-check \
	  ALLOWED_HOSTS=jichitai.example.jp \
	  JICHITAI_VAULT_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	  $(JICHITAI) check --deploy --fail-level WARNING --settings=jichitai.settings.production

# Regenerate the English catalogue after changing Japanese source strings (scripts/extract-messages;
# `make test` fails while a message has no English). The resident journey's catalogues
# (procedures/locale, RESIDENT_LOCALES) are written by hand and only compiled: they hold texts of
# several apps, which makemessages would drop from procedures' catalogue or mark fuzzy.
RESIDENT_LOCALES := ja_Easy pt es vi zh tl
messages: install
	scripts/extract-messages
	cd src/jichitai && ../../$(JICHITAI) compilemessages -l en
	cd src/jichitai/procedures && ../../../$(JICHITAI) compilemessages $(RESIDENT_LOCALES:%=-l %)

clean:
	rm -rf $(VENV) var .pytest_cache

# Benchmarks (print a table; see benchmarks/*.py for what each measures).
bench-submit: install
	@command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk >/dev/null
	$(BIN)/python benchmarks/submit.py $(BENCH_ARGS)

# N app processes (N = 1, 2, 4) on their own loopback addresses against one PostgreSQL and Redis.
bench-scale: install
	@command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk >/dev/null
	$(BIN)/python benchmarks/scale.py $(BENCH_ARGS)

bench-opendata: install
	@command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk >/dev/null
	$(BIN)/python benchmarks/opendata.py $(BENCH_ARGS)

# Faults injected into the production shape (own PostgreSQL and Redis servers on loopback); see
# faults/run.py. Needs the Debian postgresql and redis-server packages.
test-faults: install
	$(BIN)/python faults/run.py $(FAULT_ARGS)

bench-ocr: install
	@[ -f /usr/share/fonts/truetype/seto/setofont.ttf ] || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-seto fonts-kiloji fonts-yozvox-yozfont >/dev/null
	$(BIN)/python benchmarks/ocr.py $(BENCH_ARGS)

bench-automation: install
	$(BIN)/python benchmarks/automation.py $(BENCH_ARGS)

bench-xlsform: install
	$(BIN)/python benchmarks/xlsform.py $(BENCH_ARGS)
