"""Users, teams and roles, and the append-only audit log.

A user holds one role (what they may do) and belongs to teams (where they may do it).
Practitioners and team managers work inside their teams; safeguarding leads work across all
teams; SAB members see only aggregate reports; system administrators manage users and
configuration and never read case content.
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    MANAGER = "manager", "Team manager"
    LEAD = "lead", "Safeguarding lead"
    SAB_MEMBER = "sab_member", "SAB member"
    SYSADMIN = "sysadmin", "System administrator"
    # A new account whose case role waits for a lead's approval, or one parked on purpose.
    NONE = "none", "No access yet"


# Roles that open case data: only a safeguarding lead (never the subject or the requester)
# makes them take effect. The others a system administrator may give directly.
CASE_DATA_ROLES = frozenset({Role.PRACTITIONER, Role.MANAGER, Role.LEAD})


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    # How an adult gets back in touch: printed on their "What you told us" summary.
    contact_phone = models.CharField(
        "Phone number for adults and families",
        max_length=40,
        blank=True,
        help_text="Printed on the adult's “What you told us” summary. For example, 0300 123 4567.",
    )
    contact_email = models.EmailField(
        "Email address for adults and families",
        blank=True,
        help_text="A team mailbox, not a person's own address.",
    )
    contact_address = models.TextField(
        "Postal address", blank=True, help_text="One part of the address a line, as it goes on an envelope."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    teams = models.ManyToManyField(Team, through="TeamMembership", related_name="members", blank=True)
    job_title = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def display_name(self):
        return str(self)


class TeamMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="unique_team_membership")]

    def __str__(self):
        return f"{self.user} in {self.team}"


class GrantOutcome(models.TextChoices):
    PENDING = "pending", "Waiting for a safeguarding lead"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"  # e.g. the case was unrestricted before a lead decided


class AccessGrantRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(outcome=GrantOutcome.PENDING)


class AccessGrantRequest(models.Model):
    """A grant that opens case data, asked for by someone who may not give it alone.

    It holds what is asked for one user: a role, teams to join, reactivation of the account,
    or a named grant on a restricted case. Nothing changes until a safeguarding lead who is
    neither the requester nor the user approves it (`accounts.services.grant_decide`).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grant_requests")
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    teams = models.ManyToManyField(Team, blank=True, related_name="+")
    reactivate = models.BooleanField(default=False)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=GrantOutcome.choices, default=GrantOutcome.PENDING)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = AccessGrantRequestQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["outcome", "requested_at"], name="grant_request_outcome")]

    def __str__(self):
        return f"{self.describe()} for {self.user}"

    def describe(self):
        """What is asked, in words (team names, a case reference: no facts about adults)."""
        parts = []
        if self.role:
            parts.append(f"role {self.get_role_display()}")
        teams = [team.name for team in self.teams.all()] if self.pk else []
        if teams:
            parts.append("teams " + ", ".join(teams))
        if self.reactivate:
            parts.append("reactivate the account")
        if self.case_id:
            parts.append(f"named on restricted case {self.case.ref}")
        return "; ".join(parts) or "nothing"


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    STATE = "state", "Changed state"
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded"
    IMPORT = "import", "Imported"
    LOGIN = "login", "Signed in"
    LOGOUT = "logout", "Signed out"
    LOGIN_FAILED = "login_failed", "Failed sign-in"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("The audit log is append-only.")

    def delete(self):
        raise ValidationError("The audit log is append-only.")

    def bulk_create(self, *args, **kwargs):
        # bulk_create bypasses save(), so it would leave rows outside the hash chain.
        raise ValidationError("Audit events are written one at a time through accounts.audit.record().")


# Any constant works: it only has to be the same for every writer of the audit chain.
AUDIT_CHAIN_LOCK = 7_240_311


def audit_hash(*, prev_hash, at, actor_id, action, object_type, object_id, case_id, fields, detail, changes=None,
               key=None):  # fmt: skip
    """HMAC-SHA256, keyed with `settings.AUDIT_HMAC_KEY`, over a canonical JSON serialisation of
    one audit row and the previous row's hash. The key is never sent to the database, so whoever
    edits a row there cannot recompute the chain after it."""
    canonical = _canonical_row(prev_hash, at, actor_id, action, object_type, object_id, case_id, fields, detail,
                               changes)  # fmt: skip
    key = settings.AUDIT_HMAC_KEY if key is None else key
    return hmac.new(key.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def legacy_audit_hash(*, prev_hash, at, actor_id, action, object_type, object_id, case_id, fields, detail,
                      changes=None):  # fmt: skip
    """The unkeyed SHA-256 chain the log used before it was keyed (migration 0006 re-seals it).

    Only migrations use it: anyone with the source could recompute it after editing a row."""
    canonical = _canonical_row(prev_hash, at, actor_id, action, object_type, object_id, case_id, fields, detail,
                               changes)  # fmt: skip
    return hashlib.sha256(canonical.encode()).hexdigest()


def _canonical_row(prev_hash, at, actor_id, action, object_type, object_id, case_id, fields, detail, changes):
    """The sealed values in order. `changes` joins only when non-empty, so a row without changes
    keeps the text it had before the field existed."""
    values = [
        prev_hash,
        at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        actor_id,
        action,
        object_type,
        object_id,
        case_id,
        list(fields),
        detail,
    ]
    if changes:
        values.append(dict(changes))
    # Keys are sorted: jsonb does not keep the order a dict was written in, and the verifier
    # reads `changes` back from the database.
    return json.dumps(values, separators=(",", ":"), ensure_ascii=True, sort_keys=True)


class AuditEvent(models.Model):
    """One row per write, state change or read. Field *names* only: never the values."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True)
    fields = models.JSONField(default=list, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    # Old and new values of staff-account facts only ({"role": ["practitioner", "lead"]}):
    # never anything about an adult. See accounts.audit.record().
    changes = models.JSONField(default=dict, blank=True)
    # Hash chain: each row seals its own fields and the previous row's hash with an HMAC whose
    # key is not in the database, so an altered, inserted or removed row breaks the chain
    # (`manage.py verify_audit_log`) and cannot be re-sealed without the key. A unique
    # prev_hash means two writers that raced for the same head cannot both commit.
    prev_hash = models.CharField(max_length=64, editable=False, unique=True)  # no forks
    hash = models.CharField(max_length=64, editable=False, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case_id", "-at"], name="audit_case_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The audit log is append-only.")
        if connection.vendor == "postgresql":
            self._append_postgresql()
            return
        with transaction.atomic():
            _lock_audit_chain()
            head = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
            self.prev_hash = head or ""
            self.at = timezone.now()
            self.hash = self.compute_hash()
            super().save(*args, **kwargs)

    def _append_postgresql(self):
        """Read the head, seal the row here (the key never reaches the database), and let
        `accounts_audit_append_sealed` (migration 0006) take the chain lock and insert it only if
        that head is still the head: one short statement under the lock, as before the key.

        If another writer appended first, the function returns the new head and time instead.
        The retry runs in a transaction: the failed attempt took the chain lock, which that
        transaction keeps, so the head it returned stays the head and the next attempt succeeds.
        """
        with connection.cursor() as cursor:
            cursor.execute(_HEAD_SQL)
            head, at = cursor.fetchone()
            event_id, head, at = self._append_if_head(cursor, head, at)
            if event_id is None:
                with transaction.atomic(savepoint=False):
                    for _attempt in range(2):
                        event_id, head, at = self._append_if_head(cursor, head, at)
                        if event_id is not None:
                            break
            if event_id is None:  # pragma: no cover - the lock makes the last attempt succeed
                raise RuntimeError("The audit chain head kept moving while the chain lock was held.")
        self.pk = event_id
        self._state.adding = False
        self._state.db = "default"

    def _append_if_head(self, cursor, head, at):
        self.prev_hash, self.at = head, at
        self.hash = self.compute_hash()
        cursor.execute(
            "SELECT event_id, head_hash, head_at FROM accounts_audit_append_sealed("
            "%s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s::jsonb, %s)",
            [AUDIT_CHAIN_LOCK, self.prev_hash, self.at, self.actor_id, self.action, self.object_type, self.object_id,
             self.case_id, json.dumps(list(self.fields)), self.detail, json.dumps(dict(self.changes or {})),
             self.hash],
        )  # fmt: skip
        return cursor.fetchone()

    def compute_hash(self, key=None):
        return audit_hash(
            key=key,
            prev_hash=self.prev_hash,
            at=self.at,
            actor_id=self.actor_id,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            case_id=self.case_id,
            fields=self.fields,
            detail=self.detail,
            changes=self.changes,
        )

    def delete(self, *args, **kwargs):
        raise ValidationError("The audit log is append-only.")


# The chain head and the database's clock (one clock for every app server), without the lock.
_HEAD_SQL = "SELECT coalesce((SELECT hash FROM accounts_auditevent ORDER BY id DESC LIMIT 1), ''), clock_timestamp()"


def _lock_audit_chain():
    """Serialise audit writers until their transaction ends, so every row chains onto the last."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK])
    # SQLite allows one writer at a time, which serialises the chain already.


from .submissions import FormSubmission  # noqa: E402, F401  (the model lives beside its mechanism)
