# carelead: `make run` to try it, `make test` to check it. Nothing else is needed on a fresh
# machine with Python 3.11, make and Node: both create the virtual environment and install.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install assets migrate demo browser-test bench clean pango

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

carelead/static/vendor/nhsuk/nhsuk-frontend.min.css: node_modules/.installed scripts/build_assets.py
	$(PY) scripts/build_assets.py

# WeasyPrint prints care plans with the system's Pango. On a fresh Debian/Ubuntu machine it is
# installed from the distribution's packages when missing (as root); elsewhere the message says how.
pango:
	@ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; \
	  else echo "Install Pango for PDF printing: apt-get install libpango-1.0-0 libpangoft2-1.0-0" >&2; exit 1; fi; }

install: $(VENV)/.installed pango
assets: install carelead/static/vendor/nhsuk/nhsuk-frontend.min.css

migrate: install
	$(PY) manage.py migrate --no-input --verbosity 0
	@echo "Database ready."

demo: migrate
	$(PY) manage.py seed_demo

run: assets demo
	$(PY) manage.py collectstatic --no-input --verbosity 0
	@echo "carelead is starting on http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	$(PY) manage.py runserver $(HOST):$(PORT) --insecure

test: assets
	$(PY) -m pytest -m "not browser"

browser-test: assets
	$(PY) -m pytest -m browser -p no:randomly

bench: assets
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules carelead/static/vendor var/static
