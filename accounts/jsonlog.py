"""JSON-lines logging with the standard library only, and nothing personal in it.

Each record becomes one JSON object per line: time, level, logger, message and, for errors,
the exception type and traceback. Request bodies, form values and usernames are never logged.
"""

import hashlib
import json
import logging
from datetime import UTC, datetime


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
