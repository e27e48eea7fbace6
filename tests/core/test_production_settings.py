"""Production mode refuses to start with the development secret."""

import os
import subprocess
import sys

import pytest


def _import_settings(**env):
    full = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "CTXH_ENV", "CTXH_DEBUG")}
    full.update(env)
    return subprocess.run([sys.executable, "-c", "import ctxh.settings"], env=full,
                          capture_output=True, text=True, timeout=60)


def test_it_refuses_production_with_the_default_secret():
    result = _import_settings(CTXH_ENV="production")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_it_refuses_production_with_debug_on():
    result = _import_settings(CTXH_ENV="production", SECRET_KEY="x" * 50, CTXH_DEBUG="1")
    assert result.returncode != 0 and "CTXH_DEBUG" in result.stderr


@pytest.mark.parametrize("env", [{"CTXH_ENV": "production", "SECRET_KEY": "k" * 50}, {}])
def test_it_starts_with_a_real_secret_or_in_development(env):
    assert _import_settings(**env).returncode == 0
