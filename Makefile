# A fresh clone needs only `make serve` or `make test`: both create .venv and install first.
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check schema lint fuzz bench clean

$(VENV)/installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

serve: $(VENV)/installed  ## serve the site at http://127.0.0.1:8000/, rebuilding on every edit
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

build: $(VENV)/installed  ## write the static site to site/
	$(PY) -m mkdocs build --strict --site-dir site

test: $(VENV)/installed  ## the whole test suite, lint included
	$(PY) -m pytest -n auto

check: $(VENV)/installed  ## check data/ without building the site
	$(PY) -m macros check

schema: $(VENV)/installed  ## rewrite schema/*.schema.json from macros/model.py
	$(PY) -m macros schema schema

lint: $(VENV)/installed
	$(PY) -m ruff check .

fuzz: $(VENV)/installed  ## fuzz the loader at length (FUZZ_EXAMPLES=2000 by default)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-2000} $(PY) -m pytest -p no:cacheprovider tests/test_fuzz.py

bench: $(VENV)/installed  ## build time, memory and search index at 500, 4,000 and 10,000 synthetic entities
	$(PY) -m bench.benchmark 500 4000 10000

clean:
	rm -rf site $(VENV)
