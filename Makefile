# The two commands a newcomer needs are `make run` and `make test`; the others are listed by `make help`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
JOBNET_DB ?= var/jobnet.db
JOBNET_HOST ?= 127.0.0.1
JOBNET_PORT ?= 8080
JOBNET_AUTH_DIR ?= var/auth
JOBNET_PUBLIC_URL ?= http://$(JOBNET_HOST):$(JOBNET_PORT)
export JOBNET_DB JOBNET_HOST JOBNET_PORT JOBNET_PUBLIC_URL
SECRET_KEY := JOBNET_SECRET_KEY_FILE=$${JOBNET_SECRET_KEY_FILE:-$(JOBNET_AUTH_DIR)/secret.key}


.PHONY: help run serve run-pg test-sqlite test-pg auth token test test-fast fuzz generate check-generated demo-data install bench backup clean lint lint-code lint-contract lint-tools browser client

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed  ## create the virtualenv and install everything

demo-data: auth  ## (re)create the database $(JOBNET_DB) with the demo data, relative to today
	$(SECRET_KEY) $(BIN)/jobnet demo --db $(JOBNET_DB) --reset --planner-client $(JOBNET_AUTH_DIR)/planner-client.json

auth: install  ## create the demo token issuer and SOAP planner client in $(JOBNET_AUTH_DIR) (kept if present)
	@$(BIN)/jobnet token init --dir $(JOBNET_AUTH_DIR) > /dev/null

token: auth  ## print a demo access token (8 h; Jobnet as STAR, read and write)
	@$(BIN)/jobnet token mint --dir $(JOBNET_AUTH_DIR) --ttl 28800

run: auth demo-data  ## serve the API with Swagger UI on http://$(JOBNET_HOST):$(JOBNET_PORT)/v1/ui/
	@echo "Swagger UI: http://$(JOBNET_HOST):$(JOBNET_PORT)/v1/ui/"
	@echo "Demo access token (Authorize in Swagger UI; 8 h, Jobnet as STAR, read+write):"
	@$(BIN)/jobnet token mint --dir $(JOBNET_AUTH_DIR) --ttl 28800
	JOBNET_AUTH_CONFIG=$${JOBNET_AUTH_CONFIG:-$(JOBNET_AUTH_DIR)/issuers.json} $(SECRET_KEY) $(BIN)/jobnet serve

serve: auth  ## serve whatever JOBNET_DB is (an SQLite file or a postgresql:// URL), migrated, its data untouched
	JOBNET_AUTH_CONFIG=$${JOBNET_AUTH_CONFIG:-$(JOBNET_AUTH_DIR)/issuers.json} $(SECRET_KEY) $(BIN)/jobnet serve

run-pg: auth  ## a local PostgreSQL (in /tmp/jobnet-run-pg), the demo data, two instances on ports $(JOBNET_PORT) and the next
	@echo "Demo access token (8 h, Jobnet as STAR, read+write):"
	@$(BIN)/jobnet token mint --dir $(JOBNET_AUTH_DIR) --ttl 28800
	JOBNET_AUTH_CONFIG=$${JOBNET_AUTH_CONFIG:-$(JOBNET_AUTH_DIR)/issuers.json} $(SECRET_KEY) \
	  $(BIN)/jobnet scaleout --instances 2 --host $(JOBNET_HOST) --port $(JOBNET_PORT) \
	  --planner-client $(JOBNET_AUTH_DIR)/planner-client.json

test: install lint-tools browser  ## the whole default test run (CI runs exactly this): generated/ current, ruff, mypy, every test; database tests on SQLite and PostgreSQL
	$(BIN)/python codegen.py --check
	$(MAKE) --no-print-directory lint-code
	$(BIN)/python -m pytest

test-sqlite: install  ## the whole suite with the database tests on SQLite only (JOBNET_TEST_BACKENDS=sqlite)
	JOBNET_TEST_BACKENDS=sqlite $(BIN)/python -m pytest

test-pg: install  ## the whole suite with the database tests on PostgreSQL only (a throwaway server, jobnet/devpg.py)
	JOBNET_TEST_BACKENDS=postgresql $(BIN)/python -m pytest

test-fast: install  ## the quick tests while working: tests/unit and tests/store (rules, store, embedded planner, loader; well under a minute)
	$(BIN)/python -m pytest -q tests/unit tests/store

LINT_DIR := tools/lint
$(LINT_DIR)/node_modules/.installed: $(LINT_DIR)/package.json $(LINT_DIR)/package-lock.json
	@command -v npm > /dev/null || { echo "npm is missing: install Debian's nodejs and npm (apt-get install nodejs npm)"; exit 1; }
	cd $(LINT_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint-tools: $(LINT_DIR)/node_modules/.installed  ## install the pinned OpenAPI linters (Redocly, Spectral) into tools/lint/node_modules

lint: lint-code lint-contract  ## ruff and mypy (pyproject.toml; strict outside generated/), then the contract linters (< 60 s warm)

lint-code: install  ## ruff and mypy only (mypy keeps its cache in .mypy_cache: a second run takes about a second)
	$(BIN)/ruff check .
	$(BIN)/mypy

lint-contract: install lint-tools  ## Redocly (recommended) and Spectral (spectral:oas) on the served /v1/openapi.json: 0 errors, 0 warnings
	$(BIN)/python -m pytest -q -s tests/contract/test_lint.py

browser:  ## make sure headless Chromium is there for tests/contract/test_docs_browser.py (Debian package chromium)
	@command -v chromium > /dev/null || command -v chromium-browser > /dev/null || \
	  { echo "installing Debian's chromium for the /v1/docs/ browser test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) > /dev/null; } || \
	  { echo "Chromium is missing and could not be installed: run 'apt-get install chromium' as root"; exit 1; }

client: install  ## generate a Python client from the served contract with openapi-python-client and drive the flow through it
	$(BIN)/python -m pytest -q -s tests/contract/test_generated_client.py

generate: install  ## regenerate generated/ from specs/ after a spec change
	$(BIN)/python codegen.py

check-generated: install  ## fail when generated/ is stale against specs/
	$(BIN)/python codegen.py --check

fuzz: install  ## long Schemathesis run: all phases, many examples, random seed
	ST_MAX_EXAMPLES=$${ST_MAX_EXAMPLES:-500} ST_SEED= $(BIN)/python -m pytest tests/contract/test_contract_fuzz.py -p no:cacheprovider

bench: install  ## benchmarks at national scale (< 10 min on 2 cores): report in bench/results/; then PostgreSQL beside SQLite (bench/results/pg.md)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.pg

backup: install  ## online backup of $(JOBNET_DB) to $(TO) (default backups/jobnet-<timestamp>.db), safe while serving
	$(BIN)/jobnet backup --db $(JOBNET_DB) --to $${TO:-backups/jobnet-$$(date -u +%Y%m%dT%H%M%SZ).db}

clean:  ## remove the virtualenv and the local database
	rm -rf $(VENV) var
