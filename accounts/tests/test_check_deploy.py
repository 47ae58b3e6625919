"""Production settings pass Django's deployment checklist with nothing silenced."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_check_deploy_passes_with_production_settings():
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SECURE_HSTS_SECONDS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "DATABASE_URL",
        }
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="k9$Vq2!pR7xZ@m4Lw8#tN1bY6&hC3jF5sD0gU_eA+oK-iM=rT^wQ%zX",
        ALLOWED_HOSTS="safeguarding.example.org",
        DJANGO_SETTINGS_MODULE="msp.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 silenced" in result.stdout + result.stderr
