# polefunds: the commands the README names. Each target installs what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.9
# uv from PATH when present, else a private copy bootstrapped with pip.
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
# Installed packages compiled to bytecode once, at install: where PYTHONDONTWRITEBYTECODE is
# set (containers, CI) no .pyc is ever cached, and every process (each run's dbt and checks
# processes, every test's `polefunds run`) would compile dagster, dbt or GX from source again:
# seconds each (importing GX: 8 s without, 4 s with).
export UV_COMPILE_BYTECODE := 1
VENV := .venv
RUN := $(VENV)/bin

.PHONY: help install run dev test check lint audit bench bench-crawl mirror sample clean \
	duckdb-clients libreoffice lock-bi superset superset-install

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --all-groups
	@touch $@

# dbt's manifest, which the Dagster definitions read the models from: made here (never when
# the definitions are imported), again whenever a file of the dbt project changes. Its parse
# state is copied into each data folder's first build: the profile names the work file as the
# runs do (relative to the data folder dbt runs in), so that build parses only what changed.
MANIFEST := sql/target/manifest.json
DBT_SOURCES := sql/dbt_project.yml sql/profiles.yml $(shell find sql/models sql/macros sql/tests -type f 2>/dev/null)
$(MANIFEST): $(VENV)/.synced $(DBT_SOURCES)
	POLEFUNDS_WAREHOUSE_PATH=warehouse.work.duckdb $(RUN)/dbt parse \
		--project-dir sql --profiles-dir sql --quiet
	@touch $@

install: $(VENV)/.synced $(MANIFEST) ## install the locked dependencies into .venv, prepare dbt's manifest

# Tools beside the product, each in its own environment under .tools/ (ignored by git), from
# a pinned requirements file with hashes (bi/*/requirements.txt, made by `make lock-bi`).
DUCKDB_CLIENTS := .tools/duckdb-clients
$(DUCKDB_CLIENTS)/.installed: bi/duckdb-clients/requirements.txt | $(UV)
	rm -rf $(DUCKDB_CLIENTS)
	$(UV) venv --quiet --python $(PYTHON) $(DUCKDB_CLIENTS)
	$(UV) pip install --quiet --python $(DUCKDB_CLIENTS)/bin/python --require-hashes -r $<
	@touch $@

duckdb-clients: $(DUCKDB_CLIENTS)/.installed ## DuckDB 1.4 and the newest DuckDB CLI on PyPI in .tools/ (readers of the published file)

libreoffice: ## LibreOffice Calc, headless (Debian's libreoffice-calc-nogui), for the CSV exports' test
	@command -v soffice >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null; } \
		|| echo "LibreOffice could not be installed: the CSV exports' LibreOffice test will be skipped"

# Superset in its own environment; its metadata database migrated once into a template that
# each Superset home starts from (the migrations and role sync take half a minute).
SUPERSET_ENV := .tools/superset
SUPERSET_SETUP := POLEFUNDS_SUPERSET_HOME=$(CURDIR)/$(SUPERSET_ENV)/template \
	SUPERSET_CONFIG_PATH=$(CURDIR)/bi/superset/superset_config.py
$(SUPERSET_ENV)/.installed: bi/superset/requirements.txt bi/superset/superset_config.py | $(UV)
	rm -rf $(SUPERSET_ENV)
	$(UV) venv --quiet --python $(PYTHON) $(SUPERSET_ENV)
	$(UV) pip install --quiet --python $(SUPERSET_ENV)/bin/python --require-hashes -r $<
	{ $(SUPERSET_SETUP) $(SUPERSET_ENV)/bin/superset db upgrade && \
		$(SUPERSET_SETUP) $(SUPERSET_ENV)/bin/superset init; } > $(SUPERSET_ENV)/setup.log 2>&1 \
		|| { tail -30 $(SUPERSET_ENV)/setup.log; exit 1; }
	@touch $@

superset-install: $(SUPERSET_ENV)/.installed ## Apache Superset (pinned, bi/superset/requirements.txt) in .tools/superset

WAREHOUSE ?= $(or $(POLEFUNDS_DATA_DIR),data)/warehouse.duckdb
superset: superset-install ## Superset with the marts' dashboard on http://127.0.0.1:8088 (PORT=; runs make run first when no warehouse)
	@test -f $(WAREHOUSE) || $(MAKE) run
	$(SUPERSET_ENV)/bin/python bi/superset/serve.py --warehouse $(WAREHOUSE) \
		--home $(SUPERSET_ENV)/home --port $${PORT:-8088}

lock-bi: | $(UV) ## re-pin bi/*/requirements.txt from their requirements.in
	for folder in bi/duckdb-clients bi/superset; do \
		$(UV) pip compile --quiet --python-version 3.11 --generate-hashes \
			--custom-compile-command "make lock-bi" $$folder/requirements.in -o $$folder/requirements.txt; \
	done

run: install ## the main job end to end, offline: crawl a local mirror of the bundled sample, parse, load, check, build the marts, publish
	$(RUN)/polefunds run --mirror data/samples --interval 0.05

dev: install ## the Dagster UI on http://127.0.0.1:3000 (Ctrl-C stops it)
	POLEFUNDS_WAREHOUSE_PATH=$(CURDIR)/data/warehouse.work.duckdb DAGSTER_HOME=$(CURDIR)/dagster_home \
		$(RUN)/dagster dev -m pipelines.definitions -h 127.0.0.1 -p $${PORT:-3000}

# Test processes (pytest-xdist): the suite's long tests are whole pipeline runs, mostly waiting
# on their dbt and checks processes; two workers share the two cores. TEST_JOBS=0: one process.
TEST_JOBS ?= 2

test: install duckdb-clients superset-install libreoffice ## the test suite
	$(RUN)/pytest -n $(TEST_JOBS) --dist loadgroup

lint: install ## ruff (lint + format check) and mypy
	$(RUN)/ruff check pipelines tests bench bi
	$(RUN)/ruff format --check pipelines tests bench bi
	$(RUN)/mypy pipelines

# pip-audit on the locked requirements, run by uv's tool runner (nothing added to the lock).
# It asks PyPI's JSON API (/pypi/<name>/<version>/json) for each pinned version's advisories,
# so it needs the network: CI (.ci/run) does not run it. --strict: a package that could not be
# audited fails the target instead of being skipped in silence.
PIP_AUDIT_VERSION := 2.9.0
audit: | $(UV) ## known vulnerabilities in the locked dependencies (pip-audit; needs the network)
	set -o pipefail; $(UV) export --locked --format requirements-txt --no-hashes --no-emit-project --all-groups \
		| $(UV) tool run --from "pip-audit==$(PIP_AUDIT_VERSION)" pip-audit --disable-pip --no-deps --strict -r /dev/stdin

check: lint test audit ## lint, tests and the dependency audit (CI runs lint and test)

bench: install ## parse, crawl and whole pipeline on N generated deliberations (N=1000), one table
	@command -v pdftotext >/dev/null || { apt-get update -qq && apt-get install -y -qq poppler-utils; } \
		|| echo "pdftotext unavailable: the benchmark runs without its yardstick"
	$(RUN)/python bench/import_time.py
	$(RUN)/python bench/parse_bench.py --count $${N:-1000}
	$(RUN)/python bench/crawl_bench.py --count $${N:-1000}
	$(RUN)/python bench/pipeline_bench.py --count $${N:-1000}
	$(RUN)/python bench/summary.py --count $${N:-1000}

bench-crawl: install ## crawl timings on a generated mirror (N=2000 documents)
	$(RUN)/python bench/crawl_bench.py --count $${N:-2000}

mirror: install ## serve data/samples as a local mirror of the portal (PORT=8765)
	$(RUN)/polefunds mirror --dir data/samples --port $${PORT:-8765}

sample: install ## regenerate the bundled synthetic sample in data/samples/
	$(RUN)/python -m tests.synthetic.corpus --out data/samples --count 12 --seed 2019

clean: ## remove generated files (keeps the bundled sample)
	rm -rf .venv .tools .pytest_cache .mypy_cache .ruff_cache
