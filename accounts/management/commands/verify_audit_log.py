"""Check the audit log's keyed hash chain against its last anchor, then record a new anchor.

Exit 0 with the count when intact, 1 naming the first break. The chain alone cannot show that
the newest entries were removed (what is left is still a valid chain), so every run records an
anchor outside the table: the entry count and the head's id and hash, in a log line and, with
`--anchor-file` or `AUDIT_ANCHOR_FILE`, appended as one JSON line to a file the operator keeps
away from the database. The next run checks that the entry at the anchored position is still
the anchored one; a shorter log, or another entry there, fails.
"""

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import AuditEvent

log = logging.getLogger("accounts.audit")


class Command(BaseCommand):
    help = (
        "Verify the audit log hash chain and its last anchor; exits non-zero at the first altered, inserted "
        "or missing row. Appends a new anchor (entry count and head hash) to the anchor file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor-file",
            default=None,
            help="JSON-lines file of anchors to check and append to (default: the AUDIT_ANCHOR_FILE setting).",
        )

    def handle(self, *args, anchor_file=None, **options):
        path = anchor_file if anchor_file is not None else settings.AUDIT_ANCHOR_FILE
        path = Path(path) if path else None
        anchor = _last_anchor(path) if path else None
        anchored = (anchor["head_id"], anchor["head_hash"]) if anchor else None

        prev = ""
        count = 0
        head = None
        for event in AuditEvent.objects.order_by("id").iterator(chunk_size=5000):
            if event.prev_hash != prev:
                raise CommandError(
                    f"Audit log broken at entry id={event.id}: it does not follow the entry before it "
                    "(a row was removed, inserted or altered)."
                )
            if event.compute_hash() != event.hash:
                raise CommandError(f"Audit log broken at entry id={event.id}: its contents do not match its hash.")
            prev = event.hash
            count += 1
            head = event
            if anchor and count == anchor["entries"] and (event.id, event.hash) != anchored:
                raise CommandError(
                    f"Audit log does not contain the anchored entry: entry {count} should be "
                    f"id={anchor['head_id']} with hash {anchor['head_hash']} (anchor of {anchor['time']}), "
                    f"but is id={event.id}. Entries were removed and others written since."
                )
        if anchor and count < anchor["entries"]:
            raise CommandError(
                f"Audit log has {count} entries but the anchor of {anchor['time']} recorded {anchor['entries']} "
                f"(head id={anchor['head_id']}): {anchor['entries'] - count} entries are missing "
                "(the newest were deleted or the table was emptied)."
            )

        self.stdout.write(f"Audit log intact: {count} entries verified.")
        if anchor:
            self.stdout.write(f"The anchor of {anchor['time']} ({anchor['entries']} entries) is in the chain.")
        new = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "entries": count,
            "head_id": head.id if head else None,
            "head_hash": head.hash if head else "",
        }
        log.info("Audit log anchor: %s entries, head id=%s hash=%s", count, new["head_id"], new["head_hash"])
        if path:
            try:
                _append(path, new)
            except OSError as exc:
                raise CommandError(f"The log verified, but the anchor could not be appended to {path}: {exc}") from exc
            self.stdout.write(f"Anchor appended to {path}: {count} entries, head {new['head_hash'] or '(empty)'}.")
        else:
            self.stdout.write("No anchor file (AUDIT_ANCHOR_FILE): the anchor is in the log line only.")


def _last_anchor(path):
    try:
        lines = [line for line in path.read_text().splitlines() if line.strip()]
    except FileNotFoundError:
        return None
    if not lines:
        return None
    try:
        anchor = json.loads(lines[-1])
        if not isinstance(anchor["entries"], int) or not isinstance(anchor["head_hash"], str):
            raise TypeError
        return anchor
    except (ValueError, KeyError, TypeError) as exc:
        raise CommandError(f"The last line of the anchor file {path} is not an anchor; nothing was checked.") from exc


def _append(path, anchor):
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(fd, "a") as out:
        out.write(json.dumps(anchor, separators=(",", ":")) + "\n")
        out.flush()
        os.fsync(out.fileno())
