"""JSON-lines logging with the standard library only, and nothing personal in it.

Each record becomes one JSON object per line: time, level, logger, message and, for errors,
the exception type and traceback. Request bodies, form values and usernames are never logged.
"""

import hashlib
import json
import logging
import traceback
from datetime import UTC, datetime

from gunicorn.glogging import Logger as GunicornLogger


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def axes_client_str(username, ip_address, user_agent, path_info, request):
    """Identify a sign-in client in django-axes' log lines without its username or address."""
    digest = hashlib.sha256(f"{username}|{ip_address}".encode()).hexdigest()[:12]
    return f"client {digest} on {path_info}"


class JsonAccessLogger(GunicornLogger):
    """gunicorn's access log as JSON lines (`--logger-class accounts.jsonlog.JsonAccessLogger`).

    The path is decoded by the WSGI server, so an encoded newline (`%0A`) in it is a real
    newline: written into a text format it would start a forged line. As a JSON string it stays
    data inside the one line (`ensure_ascii` also escapes bidi and line-separator characters).
    The query string is never logged: it is not ours to promise it holds nothing personal.
    """

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        raw_path = environ.get("PATH_INFO", "")
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "method": environ.get("REQUEST_METHOD", ""),
            # WSGI hands the path over as latin-1; the client sent UTF-8.
            "path": raw_path.encode("latin-1", "replace").decode("utf-8", "replace"),
            "status": int(status) if str(status).isdigit() else str(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": request_time.seconds * 1000 + request_time.microseconds // 1000,
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=True))
        except Exception:
            self.error(traceback.format_exc())
