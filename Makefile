# A fresh clone needs only `make serve` or `make test`: both create .venv and install first.
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
.PHONY: help serve build test sweep check ids new fact-ids links schema lint fuzz bench bench-search clean

help:  ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 21

# What serving and building need; the tests' and tools' packages come with `make test`.
$(VENV)/site-installed: requirements.txt
	@echo "Installing the site's packages into $(VENV)/ (the first time takes a minute)..."
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/dev-installed: $(VENV)/site-installed requirements-dev.txt
	@echo "Installing the test tools into $(VENV)/..."
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

serve: $(VENV)/site-installed  ## serve the site at http://127.0.0.1:8000/ (PORT=8001 for another port), rebuilding on every edit
	@$(PY) -c "import socket; socket.socket().bind(('127.0.0.1', $(PORT)))" 2>/dev/null \
	  || { echo "Port $(PORT) is taken (another make serve?): stop it, or run make serve PORT=8001"; exit 1; }
	$(PY) -m mkdocs serve --dirty --no-strict --dev-addr 127.0.0.1:$(PORT)

build: $(VENV)/site-installed  ## write the static site to site/ (replaced only if the build succeeds)
	rm -rf site.new
	$(PY) -m mkdocs build --strict --site-dir site.new
	rm -rf site && mv site.new site

check: $(VENV)/site-installed  ## check data/ without building (FILE=data/demands/x.yml for one file)
	@$(PY) -m macros check $(or $(FILE),data)

ids: $(VENV)/site-installed  ## list the ids of actors, demands, rounds and sources, with titles
	@$(PY) -m macros ids

new: $(VENV)/site-installed  ## write a data file to fill in: make new KIND=demand ID=x (KIND=source: its .txt first)
	@test -n "$(KIND)" -a -n "$(ID)" || { echo "give a kind and an id: make new KIND=source|actor|demand|round ID=the-id"; exit 1; }
	@$(PY) -m macros new $(KIND) $(ID)

fact-ids: $(VENV)/site-installed  ## write an id into each new fact and relation (its permanent anchor)
	@$(PY) -m macros fact-ids

links: $(VENV)/site-installed  ## record new pages and anchors in published-links.json (commit it)
	@$(PY) -m macros links

schema: $(VENV)/site-installed  ## rewrite schema/*.schema.json from macros/model/schema.py
	$(PY) -m macros schema schema

test: $(VENV)/dev-installed  ## the test suite, lint included, on both cores (the long sweeps: make sweep)
	$(PY) -m pytest -n auto --dist loadgroup -m "not sweep"

sweep: $(VENV)/dev-installed  ## the long sweeps: axe on every page, both widths and palettes; the search query set (CI runs it)
	$(PY) -m pytest -n auto --dist loadgroup -m sweep

lint: $(VENV)/dev-installed  ## ruff, as the tests run it
	$(PY) -m ruff check .

fuzz: $(VENV)/dev-installed  ## fuzz the loader at length (FUZZ_EXAMPLES=2000 by default)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-2000} $(PY) -m pytest -p no:cacheprovider tests/test_fuzz.py

bench: $(VENV)/dev-installed  ## build time, memory and search (index, bytes to the first result) at 500, 4,000 and 10,000 entities
	$(PY) -m bench.benchmark 500 4000 10000

bench-search: build $(VENV)/dev-installed  ## the search on site/: its index, bytes and time to the first result (the query set: make sweep)
	$(PY) -m bench.search site --query Zelensky --query ceasefire --query Istanbul

clean:  ## remove site/ and .venv/
	rm -rf site site.new $(VENV)
