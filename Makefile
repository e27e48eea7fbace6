# Two commands do all the set-up:
#   make demo   — install, prepare a SQLite database with demo data, serve on :8000
#   make test   — install what the tests need (Python packages, Chromium, fonts) and run the suite
export UV_SYSTEM_CERTS := 1
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: demo test check uv lint messages bench-search

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

demo: uv
	bash scripts/install-system-deps.sh
	$(UV) sync --frozen
	$(UV) run ctxh demo

test: uv
	bash scripts/install-system-deps.sh --test
	$(UV) sync --frozen
	$(UV) run ctxh manage makemigrations --check --dry-run
	$(UV) run pytest $(PYTEST_ARGS)

lint: uv
	$(UV) run ruff check src tests bench

messages: uv
	cd src/ctxh && $(UV) run ctxh manage makemessages -l en --no-obsolete && $(UV) run ctxh manage compilemessages

bench-search: uv
	$(UV) run python bench/search.py
