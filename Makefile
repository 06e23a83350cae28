# Two commands set everything up: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
CAREERLAKE := $(VENV)/bin/careerlake
ENV ?= local

.PHONY: run test test-serverless bundle-check lint fmt sql-shell sql-server benchmark eval clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

# uv.lock pins every package; --inexact keeps uv itself inside the venv it manages.
$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --inexact --python $(VENV)/bin/python
	$(VENV)/bin/python -m careerlake.runtime.warm_up
	touch $@

run: $(VENV)/.synced  ## Run the whole pipeline on the bundled sample data.
	$(CAREERLAKE) run --all --env $(ENV)

test: $(VENV)/.synced  ## Run the whole test suite.
	$(VENV)/bin/pytest -n 2 --dist loadfile --no-loadscope-reorder

# The serverless twin alone (docs/deploy.md; `make test` runs it too): the sample pipeline through
# a local Spark Connect server, every table compared row for row with a classic run.
test-serverless: $(VENV)/.synced  ## Run the pipeline through Spark Connect and compare it with a classic run.
	$(VENV)/bin/pytest tests/e2e/test_serverless_twin.py -p no:xdist

# The bundle through the real Databricks CLI (built once from its Go module, cached under
# ~/.cache/careerlake): JSON schema, validate --strict per target and identity, deploy to a stub.
bundle-check: $(VENV)/.synced  ## Check the Databricks asset bundle with the real CLI, offline.
	$(VENV)/bin/python tests/support/bundle_check.py

# ruff, then the import layers of pyproject.toml [tool.importlinter].
lint: $(VENV)/.synced
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports --no-cache

fmt: $(VENV)/.synced
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

sql-shell: $(VENV)/.synced  ## Interactive spark-sql shell on the local metastore.
	$(CAREERLAKE) sql-shell

sql-server: $(VENV)/.synced  ## JDBC/ODBC (Thrift) endpoint on 127.0.0.1:10000.
	$(CAREERLAKE) sql-server

eval: $(VENV)/.synced
	$(CAREERLAKE) eval postings && $(CAREERLAKE) eval career-docs

benchmark: $(VENV)/.synced
	$(VENV)/bin/python benchmarks/sample_run.py
	$(VENV)/bin/python benchmarks/pipeline.py --small

clean:
	rm -rf .lakehouse spark-warehouse metastore_db derby.log
