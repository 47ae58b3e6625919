"""The access log cannot be forged: a URL-encoded newline in the path stays inside one line.

gunicorn is started exactly as the Procfile's `web` line says (only the address and the log
file changed), so the test checks the configuration that runs in production.
"""

import http.client
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORGED = '[02/Dec/2026:00:00:00 +0000] "POST /admin/users/1/" 200 0 1ms'


def _procfile_web_args():
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    args = shlex.split(line.removeprefix("web:"))
    return args[1:]  # without the program name


def _without(args, option):
    """Drop `option` and its value from a gunicorn argument list."""
    if option in args:
        at = args.index(option)
        return args[:at] + args[at + 2 :]
    return args


def _logging_options(args):
    """The options that decide what the access log looks like."""
    wanted = ("--access-logfile", "--access-logformat", "--logger-class")
    return {arg: args[i + 1] for i, arg in enumerate(args) if arg in wanted}


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn_log(tmp_path):
    port = _free_port()
    log = tmp_path / "access.log"
    args = _procfile_web_args()
    for option in ("--bind", "--workers", "--threads", "--access-logfile"):
        args = _without(args, option)
    args = [re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", arg) for arg in args]  # the Procfile's defaults
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        *args,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--threads",
        "1",
        "--access-logfile",
        str(log),
    ]
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "false", "SECURE_SSL_REDIRECT": "false"}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"gunicorn did not start: {server.stderr.read().decode()[-2000:]}") from None
                time.sleep(0.2)
        yield port, log
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


def _get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    status = connection.getresponse().status
    connection.close()
    return status


def _lines(log, count):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = log.read_text().splitlines() if log.exists() else []
        if len(lines) >= count:
            return lines
        time.sleep(0.1)
    return log.read_text().splitlines() if log.exists() else []


@pytest.mark.slow
def test_an_encoded_newline_in_the_path_cannot_forge_an_access_log_line(gunicorn_log):
    port, log = gunicorn_log
    forged_path = "/health/%0A" + FORGED.replace(" ", "%20").replace('"', "%22")
    _get(port, forged_path)
    _get(port, "/health/")
    lines = _lines(log, 2)
    time.sleep(0.5)  # anything written late would show up as an extra line
    lines = log.read_text().splitlines()
    assert len(lines) == 2, lines
    assert not any(line.startswith("[02/Dec/2026") for line in lines)
    attack, probe = (json.loads(line) for line in lines)
    assert attack["path"] == "/health/\n" + FORGED  # kept, as data inside the one line
    assert attack["method"] == "GET"
    assert probe["path"] == "/health/" and probe["status"] == 200
    assert {"time", "status", "bytes", "duration_ms"} <= set(attack)


@pytest.mark.slow
def test_the_access_log_never_records_the_query_string(gunicorn_log):
    port, log = gunicorn_log
    _get(port, "/health/?q=Jo+Synthetic")
    (line,) = _lines(log, 1)
    assert "Synthetic" not in line
    assert json.loads(line)["path"] == "/health/"


def test_the_systemd_web_unit_logs_access_as_the_procfile_does():
    unit = (ROOT / "msp" / "deploy" / "msp-web.service").read_text()
    exec_start = re.search(r"^ExecStart=(.*?)(?<!\\)$", unit, re.MULTILINE | re.DOTALL).group(1)
    unit_args = shlex.split(exec_start.replace("\\\n", " "))
    assert _logging_options(unit_args) == _logging_options(_procfile_web_args())
    assert "--logger-class" in _logging_options(unit_args)
