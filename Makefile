# PORA — two commands to set up: `make demo` and `make test`.
# Needs only Python 3.11+, make and git; uv is installed into .tools/ when missing.

PORT ?= 8000
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := .tools/bin/uv
endif
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test lint bench messages env

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

env: $(UV)
	$(UV) sync --frozen --quiet

## demo: SQLite demo under var/ with Jakarta Utara data, worker and server on PORT
demo: env
	$(UV) run pora demo --port $(PORT)

## test: the whole suite (SQLite, or the database in DATABASE_URL) including Chromium tests
test: env
	@if [ ! -x "$(CHROMIUM)" ] && [ -z "$$PORA_CHROMIUM" ]; then \
		echo "No $(CHROMIUM): installing Playwright's own Chromium for the browser tests"; \
		$(UV) run playwright install chromium; fi
	$(UV) run pytest

## lint: ruff, and the layers contract (pyproject.toml [tool.importlinter]): arrows point down only
lint: env
	$(UV) run ruff check pora
	$(UV) run lint-imports

## bench: registry and lodging benchmarks (set DATABASE_URL to a PostgreSQL server for the real figures)
bench: env
	PORA_TESTING=true $(UV) run pora bench registry
	PORA_TESTING=true $(UV) run pora bench lodging

## messages: refresh and compile the Indonesian catalogue after changing texts
messages: env
	PORA_TESTING=true $(UV) run python manage.py makemessages -l id --no-obsolete --ignore=.venv --ignore=.tools --ignore=var
	PORA_TESTING=true $(UV) run python manage.py compilemessages --ignore=.venv --ignore=.tools
