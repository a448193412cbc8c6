# Neural Network Playground. `make help` lists the targets.
# Everything runs in .venv (Python 3.12, the version the browser's Pyodide runs).

SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
SITE_INPUTS := $(shell find playground build -type f \( -name '*.py' -o -name '*.js' -o -name '*.npz' -o -name '*.txt' \) -not -path '*/__pycache__/*' 2>/dev/null)
# The hand-written shell counts too: build-info.json's build id (the service worker's cache
# version) covers it, so editing it must refresh the build.
SITE_SHELL := $(wildcard site/index.html site/sw.js site/manifest.webmanifest site/js/* site/css/* site/icons/*)

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-8s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@PY312=$$(build/find-python312.sh) && echo "Using $$PY312" && $$PY312 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -U "pip>=25.1"
	$(PY) -m pip install -q --disable-pip-version-check -e ".[ui]" --group dev
	@touch $@

venv: $(VENV)/.installed ## Create .venv with everything installed

site/.stamp: $(VENV)/.installed $(SITE_INPUTS) $(SITE_SHELL)
	$(PY) build/make_site.py --out site
	@touch $@

site: site/.stamp ## Build the static site into site/ (only if missing or stale)

dist: site ## Zip the built site for any static host: dist/nn-playground-site.zip
	$(PY) build/make_dist.py --site site --out dist/nn-playground-site.zip

disk: site ## Open-from-disk variant (no server: double-click index.html): dist/playground-offline/ + .zip
	$(PY) build/make_disk.py --site site --out dist/playground-offline

serve: site ## Build if needed, then serve the site at http://127.0.0.1:8000/
	@echo "Open http://127.0.0.1:$(PORT)/"
	$(PY) build/serve.py --port $(PORT)

chromium: ## Make sure a Chromium for the browser tests exists (apt-get as root)
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif [ -n "$$PLAYWRIGHT_BROWSERS_PATH" ] || ls ~/.cache/ms-playwright/chromium* >/dev/null 2>&1; then \
	  echo "No $(CHROMIUM): using Playwright's own Chromium"; \
	else \
	  echo "The browser tests need Chromium. Install it (Debian/Ubuntu: sudo apt-get install chromium)"; \
	  echo "or, with internet access, run: $(PY) -m playwright install chromium"; \
	  exit 1; \
	fi

lint: venv ## ruff, and the layers' import contracts (pyproject.toml [tool.importlinter])
	$(VENV)/bin/ruff check playground tests e2e build bench
	PYTHONPATH=build $(VENV)/bin/lint-imports

unit: venv ## Unit tests only
	$(PY) -m pytest tests -q

e2e: venv site chromium ## Browser tests only (against the built site)
	$(PY) -m pytest e2e -q

engines: venv site ## Smoke suite in Firefox ESR and WebKitGTK (e2e/engines/; installs what it lacks as root)
	@e2e/engines/setup.sh
	PYTHON=../../$(PY) e2e/engines/run.sh

test: venv site chromium ## Set up everything, build the site, run lint, unit and browser tests
	$(MAKE) --no-print-directory lint
	$(PY) -m pytest tests -p no:cacheprovider
	$(PY) -m pytest e2e -p no:cacheprovider --durations=10
	$(MAKE) --no-print-directory engines

screenshots: venv site chromium ## PNGs of the page (desktop, tablets, phone, iframe) in screenshots/
	cd e2e && ../$(PY) screenshots.py

bench: venv site chromium ## Benchmarks: write BENCHMARKS.md
	@e2e/engines/setup.sh
	$(PY) bench/run.py --out BENCHMARKS.md

MINUTES ?= 30
soak: venv site chromium ## Train in the browser for MINUTES (30) minutes: memory and speed over time, into BENCHMARKS.md
	$(PY) bench/soak.py --minutes $(MINUTES)

clean: ## Remove generated files (keeps the download cache)
	rm -rf site/pyodide site/vendor site/page site/build-info.json site/.stamp dist .pytest_cache

.PHONY: help venv site dist disk serve chromium lint unit e2e engines test screenshots bench soak clean
