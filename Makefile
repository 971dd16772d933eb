# Immunotherapy Primer, Part 2. Two commands do all set-up:
#   make start   JupyterLab on the course (lesson 00)
#   make test    every test (unit, claims, notebooks, browser)
# Every target is idempotent: installs run only when a pin file changed.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8888
VOILA_PORT ?= 8866
# JupyterLab refuses to run as root unless told to (containers, CI).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: start dashboards test lint notebooks envfiles glossary lock js chromium install install-dev clean help bench loadtest

help:
	@echo "make start       JupyterLab on notebooks/00_start_here.ipynb ($(HOST))"
	@echo "make dashboards  Voila on notebooks/ with the classroom settings in voila.json ($(HOST):$(VOILA_PORT))"
	@echo "                 for a class: make dashboards STUDENTS=30 DASHBOARD=01_cancer_immunity_cycle"
	@echo "make test        every test: lint, types, unit, claims, nbval, browser"
	@echo "make notebooks   re-execute every notebook and save its outputs"
	@echo "make envfiles    regenerate environment.yml and binder/ from requirements.txt"
	@echo "make lock        re-resolve requirements.txt in a fresh venv"
	@echo "make js          rebuild primer_lib/widgets/js/vega-bundle.js (needs npm)"
	@echo "make glossary    write notebooks/glossary.ipynb and link each lesson's first use of a term"
	@echo "make site        static HTML copy of every lesson in site/ (charts drawn offline, no kernel)"
	@echo "make site-test   build the site and open every page in Chromium with the network off"
	@echo "make bench       benchmark every control and lesson (writes tests/benchmarks/latest.md)"
	@echo "make loadtest    a class opening a dashboard at once (not in make test; writes tests/benchmarks/loadtest.md)"
	@echo "                 make loadtest STUDENTS=30 DASHBOARD=01_cancer_immunity_cycle"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

start: install
	@echo "Starting JupyterLab on the course; it prints the address to open (with its token) below."
	@echo "Stop it with Ctrl-C."
	$(BIN)/jupyter lab --ip=$(HOST) --port=$(PORT) --ServerApp.root_dir="$(CURDIR)" $(ROOT_FLAG) \
	  --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

# Classroom settings live in voila.json. For a class: make dashboards STUDENTS=30 DASHBOARD=01_cancer_immunity_cycle
# On a classroom network: make dashboards HOST=0.0.0.0 TOKEN=<a word students type once>
dashboards: install
	$(BIN)/python -m primer_lib.devtools.serve_dashboards --host $(HOST) --port $(VOILA_PORT) \
	  $(if $(STUDENTS),--students $(STUDENTS) --dashboard $(DASHBOARD),) $(if $(TOKEN),--token=$(TOKEN),)

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
	  else echo "chromium is missing: install it (apt-get install chromium) and rerun"; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: install-dev
	$(BIN)/ruff check primer_lib tests
	$(BIN)/mypy

test: install-dev chromium lint
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --durations=15

notebooks: install
	$(BIN)/python -m primer_lib.devtools.run_notebooks notebooks

envfiles: install
	$(BIN)/python -m primer_lib.devtools.envfiles

glossary: install
	$(BIN)/python -m primer_lib.devtools.glossary_page

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet $$(sed -n '/^# Course stack/,/^#$$/p' requirements.txt | grep '==')
	$(PYTHON) -m primer_lib.devtools.envfiles --relock .lock-venv
	rm -rf .lock-venv

js:
	cd primer_lib/widgets/js && npm ci && npm run build

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/browser/screenshots site

.PHONY: site site-test
# Static copy of the course: every top-level notebook executed and exported to site/ with index.html.
site: install-dev
	$(BIN)/python -m primer_lib.devtools.site --out site

# Also part of `make test`; this runs only the site's tests (unit, then Chromium offline on every page).
site-test: install-dev chromium
	$(BIN)/python -m pytest tests/test_site.py tests/browser/test_site.py

bench: install-dev chromium
	$(BIN)/python -m primer_lib.devtools.bench --out tests/benchmarks

# Not part of `make test`: takes minutes and most of the machine. Defaults: 30 students, dashboard 01.
loadtest: install-dev chromium
	$(BIN)/python -m primer_lib.devtools.loadtest --out tests/benchmarks \
	  $(if $(STUDENTS),--students $(STUDENTS),) $(if $(DASHBOARD),--dashboard $(DASHBOARD),)
