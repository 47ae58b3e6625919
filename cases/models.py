"""Adults at risk, safeguarding cases (a concern and everything that follows), decisions,
enquiries and the chronology.

A `Case` is opened by a concern and carries the concern's intake details. A `Decision` applies
the s42 test and is signed off by a manager; a signed-off s42/other decision opens the case's
`Enquiry`, which holds the SAC answers that the SAB reports aggregate. Every event on a case
is a `CaseEvent` in its chronology.
"""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from .codes import (
    RISK_IDENTIFIED,
    AbuseType,
    AskedDesiredOutcomes,
    DecisionOutcome,
    EnquiryKind,
    Ethnicity,
    Gender,
    HealthCondition,
    LocationOfRisk,
    OutcomesAchieved,
    ReferrerType,
    RiskAssessment,
    RiskResult,
    SourceOfRisk,
    SupportReason,
    YesNoUnknown,
)
from .validators import validate_nhs_number


class Person(models.Model):
    """An adult at risk. The preferred name is the one shown wherever the person is named."""

    legal_name = models.CharField(max_length=200)
    preferred_name = models.CharField(
        max_length=200, blank=True, help_text="What the person likes to be called. Shown everywhere."
    )
    date_of_birth = models.DateField(null=True, blank=True, db_index=True)
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validate_nhs_number], db_index=True
    )
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    ethnicity = models.CharField(max_length=10, choices=Ethnicity.choices, default=Ethnicity.UNKNOWN)
    primary_support_reason = models.CharField(
        max_length=20, choices=SupportReason.choices, default=SupportReason.UNKNOWN
    )
    health_condition = models.CharField(
        "Health condition",
        max_length=10,
        choices=HealthCondition.choices,
        blank=True,
        help_text="Only autism or Asperger's, as the Safeguarding Adults Collection counts them (SG1e).",
    )
    communication_needs = models.TextField(
        blank=True, help_text="For example an interpreter (which language), BSL, easy read, large print."
    )
    address = models.TextField(blank=True)
    representative_contacts = models.TextField("Representative or advocate contacts", blank=True)
    legacy_ref = models.CharField(max_length=100, blank=True, db_index=True)
    imported = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "people"
        indexes = [
            # SAB reports look up the demographics of tens of thousands of adults by id: with these
            # columns in the index (PostgreSQL INCLUDE) that is an index-only scan, never the wide
            # person rows (names, addresses, contacts).
            models.Index(
                fields=["id"],
                include=["date_of_birth", "gender", "ethnicity", "primary_support_reason"],
                name="person_demographics",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.preferred_name or self.legal_name


class CaseState(models.TextChoices):
    CONCERN = "concern", "Concern received"
    DECISION_PENDING = "decision_pending", "Decision awaiting sign-off"
    ENQUIRY_OPEN = "enquiry_open", "Enquiry open"
    CLOSURE_PENDING = "closure_pending", "Closure awaiting sign-off"
    CLOSED = "closed", "Closed"
    NO_FURTHER_ACTION = "no_further_action", "No further safeguarding action"


OPEN_STATES = (CaseState.CONCERN, CaseState.DECISION_PENDING, CaseState.ENQUIRY_OPEN, CaseState.CLOSURE_PENDING)
# States in which the s42 decision is still outstanding, so the decision due date matters.
AWAITING_DECISION_STATES = (CaseState.CONCERN, CaseState.DECISION_PENDING)
#: Stages in which an enquiry has a lead practitioner: the practitioner's caseload.
ENQUIRY_STATES = (CaseState.ENQUIRY_OPEN, CaseState.CLOSURE_PENDING)


class AdultAware(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class RestrictionReason(models.TextChoices):
    STAFF = "staff", "The adult is a member of staff"
    HIGH_PROFILE = "high_profile", "High-profile"
    STAFF_FAMILY = "staff_family", "The adult is family of a member of staff"


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, today=None):
        """Cases still awaiting a decision whose decision due date has passed."""
        return self.filter(state__in=AWAITING_DECISION_STATES, decision_due__lt=today or timezone.localdate())


class Case(models.Model):
    ref = models.CharField("Case reference", max_length=40, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="cases")
    state = models.CharField(max_length=20, choices=CaseState.choices, default=CaseState.CONCERN)
    restricted = models.BooleanField(
        default=False,
        help_text="Only named users can see a restricted case (for example, the adult is a member of staff).",
    )
    restricted_reason = models.CharField(
        "Why the case is restricted", max_length=20, choices=RestrictionReason.choices, blank=True
    )
    imported = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    # The concern
    received_at = models.DateTimeField("Date and time received")
    referrer_name = models.CharField("Who raised the concern", max_length=200, blank=True)
    referrer_agency = models.CharField("Their agency or organisation", max_length=200, blank=True)
    referrer_relationship = models.CharField("Their relationship to the adult", max_length=200, blank=True)
    # Blank for concerns recorded before the front door, or where nobody said (the SAB report's "Not recorded").
    referrer_type = models.CharField("Who raised it", max_length=20, choices=ReferrerType.choices, blank=True)
    what_happened = models.TextField("What happened", blank=True)
    others_at_risk_children = models.BooleanField("Children are also at risk", default=False)
    others_at_risk_adults = models.BooleanField("Other adults are also at risk", default=False)
    immediate_actions = models.TextField("Immediate safety actions taken", blank=True)
    adult_aware = models.CharField(
        "Does the adult know the concern was raised?",
        max_length=10,
        choices=AdultAware.choices,
        default=AdultAware.NOT_KNOWN,
    )
    adult_wants = models.TextField("What does the adult want to happen?", blank=True)

    decision_due = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        indexes = [
            # Concerns received in a period; the INCLUDE columns let SAB reports count concerns and
            # distinct adults (by team) with an index-only scan instead of reading the wide case rows.
            models.Index(fields=["received_at"], include=["person", "team"], name="case_received_person"),
            # ...and by who raised them (the SAB report's concerns_by_referrer), index-only too.
            models.Index(fields=["received_at"], include=["team", "referrer_type"], name="case_received_referrer"),
            # Concerns by provider (partnership.selectors.provider_patterns): a period's cases with
            # what the access scope and the open counts read, so the join needs no case rows.
            models.Index(
                fields=["received_at"], include=["id", "team", "state", "restricted"], name="case_received_scope"
            ),
            # SAB reports join tens of thousands of enquiries to their case for these columns: an
            # index-only lookup by id instead of a scan of the whole (wide) case table.
            models.Index(fields=["id"], include=["person", "team"], name="case_report_columns"),
            models.Index(fields=["team", "state"], name="case_team_state"),
            # The case list: one team's cases, newest concern first.
            models.Index(fields=["team", "-received_at"], name="case_team_received"),
            # Cases still awaiting a decision are few: the overdue filter walks only them, newest first.
            models.Index(
                fields=["received_at", "decision_due"],
                name="case_awaiting_decision",
                condition=Q(state__in=["concern", "decision_pending"]),
            ),
            # Practice quality: cases closed in a period, one team's or all (quality.selectors.closed_cases),
            # with what the scope and the audit sample filter on, so the index answers alone.
            models.Index(
                fields=["team", "closed_at"],
                include=["id", "restricted", "imported"],
                name="case_team_closed",
                condition=Q(state="closed"),
            ),
            models.Index(
                fields=["closed_at"],
                include=["id", "team", "restricted", "imported"],
                name="case_closed",
                condition=Q(state="closed"),
            ),
            # The managers' workspace reads open cases only (about one in ten). These partial
            # indexes hold every column its figures and lists filter on, so counts and the ids
            # of a page come from the index alone: in date order (lists), by id (joins)...
            models.Index(
                fields=["received_at", "id", "team", "state", "restricted", "decision_due"],
                name="case_open_received",
                condition=Q(state__in=["concern", "decision_pending", "enquiry_open", "closure_pending"]),
            ),
            models.Index(
                fields=["id", "state", "team", "restricted", "received_at", "decision_due"],
                name="case_open_id",
                condition=Q(state__in=["concern", "decision_pending", "enquiry_open", "closure_pending"]),
            ),
            # ...and by team, for a team manager's figures and lists.
            models.Index(
                fields=["team", "state", "received_at", "id", "restricted", "decision_due"],
                name="case_open_team",
                condition=Q(state__in=["concern", "decision_pending", "enquiry_open", "closure_pending"]),
            ),
        ]

    def __str__(self):
        return self.ref

    @property
    def decision_overdue(self):
        """Still awaiting a decision after the decision due date."""
        return (
            self.state in AWAITING_DECISION_STATES
            and self.decision_due is not None
            and self.decision_due < timezone.localdate()
        )


class Risk(models.Model):
    """One risk of a concern: one allegation, with its type(s), location and source.

    A concern has one or more. At the enquiry's closure each gets its SAC risk assessment
    outcome and, where a risk was identified (and only then), its result. If one risk of an
    enquiry is "ceased at the individual's request", all of them are.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risks")
    location = models.CharField("Where it happened", max_length=30, choices=LocationOfRisk.choices)
    source = models.CharField("Who may be causing the harm", max_length=20, choices=SourceOfRisk.choices)
    # Where the source is a service provider, which one (when it is on the partner list).
    provider = models.ForeignKey(
        "partnership.PartnerOrganisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
        verbose_name="The service provider",
    )
    assessment = models.CharField("Risk assessment outcome", max_length=24, choices=RiskAssessment.choices, blank=True)
    result = models.CharField("What became of the risk", max_length=10, choices=RiskResult.choices, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The case's facts, copied onto its risks by database triggers (`cases.risk_facts`) so the
    # provider pattern page reads one covering index instead of joining every case of the
    # period: never set them in code (whatever is written, the triggers put the case's back).
    case_received_at = models.DateTimeField(null=True, editable=False)
    case_team = models.ForeignKey(
        "accounts.Team", null=True, editable=False, on_delete=models.DO_NOTHING, db_constraint=False,
        db_index=False, related_name="+",
    )  # fmt: skip
    case_restricted = models.BooleanField(null=True, editable=False)
    case_state = models.CharField(max_length=20, null=True, editable=False)  # noqa: DJ001 - NULL until the trigger runs

    class Meta:
        ordering = ["case", "id"]
        constraints = [
            # A result only where a risk was identified (the SAC's SG2e).
            models.CheckConstraint(
                condition=Q(result="") | Q(assessment__in=list(RISK_IDENTIFIED)),
                name="risk_result_only_when_identified",
            ),
            models.CheckConstraint(
                condition=Q(provider__isnull=True) | Q(source=SourceOfRisk.SERVICE_PROVIDER),
                name="risk_provider_only_when_service_provider",
            ),
        ]
        indexes = [
            # The provider pattern page: a provider's risks and their cases.
            models.Index(fields=["provider", "case"], name="risk_provider_case", condition=Q(provider__isnull=False)),
            # The provider pattern page over a period: the risks naming a provider, by their
            # case's received date, with everything the page counts and the scope checks.
            models.Index(
                fields=["case_received_at"],
                include=["provider", "case", "case_team", "case_restricted", "case_state"],
                condition=Q(provider__isnull=False),
                name="risk_provider_period",
            ),
        ]

    def __str__(self):
        return f"Risk {self.pk} of case {self.case_id}"

    @property
    def identified(self):
        return self.assessment in RISK_IDENTIFIED

    @property
    def corrected(self):
        return self.version > 1

    def type_codes(self):
        return sorted(t.abuse_type for t in self.types.all())

    def source_display(self):
        """Who may be causing the harm, with the provider's name where one is named."""
        label = self.get_source_display()
        return f"{label}: {self.provider.name}" if self.provider_id else label

    def types_display(self):
        return "; ".join(t.get_abuse_type_display() for t in sorted(self.types.all(), key=lambda t: t.abuse_type))


class RiskRevision(models.Model):
    """One version of a risk's allegation (its types, location and source), as it stood from
    `changed_at`. Version 1 is the risk as first recorded, kept once the risk is first
    corrected, so every earlier version stays readable. The closure's assessment and result
    are answers about the risk, not the allegation, and are audited instead."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="revisions")
    # The case page reads every revision of a case in one query.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_revisions")
    version = models.PositiveIntegerField()
    data = models.JSONField()  # {"types": [codes], "location": code, "source": code, "provider": id or None}
    change_reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["risk", "-version"]
        constraints = [models.UniqueConstraint(fields=["risk", "version"], name="unique_risk_revision")]
        indexes = [models.Index(fields=["case"], name="risk_revision_case")]

    def __str__(self):
        return f"Version {self.version} of risk {self.risk_id}"

    def entries(self):
        """[(label, value)] of this version, codes as their labels."""
        types = dict(AbuseType.choices)
        return [
            ("Types of abuse or neglect", "; ".join(str(types.get(t, t)) for t in self.data.get("types", []))),
            ("Where it happened", dict(LocationOfRisk.choices).get(self.data.get("location"), "")),
            ("Who may be causing the harm", dict(SourceOfRisk.choices).get(self.data.get("source"), "")),
            ("The service provider", self.provider_name),
        ]

    @cached_property
    def provider_name(self):
        """The name of the provider this version names ("" for none); `name_providers` sets it
        for a list of versions in one query."""
        return self.name_providers([self])[0].provider_name if self.data.get("provider") else ""

    @staticmethod
    def name_providers(revisions):
        """Set `provider_name` on each of `revisions` with one query (none if none names one)."""
        ids = {revision.data.get("provider") for revision in revisions} - {None}
        organisations = apps.get_model("partnership", "PartnerOrganisation").objects
        names = dict(organisations.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
        for revision in revisions:
            revision.provider_name = names.get(revision.data.get("provider"), "")
        return revisions


class RiskType(models.Model):
    """One abuse type of a risk (a risk has one or more)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="types")
    abuse_type = models.CharField(max_length=30, choices=AbuseType.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["risk", "abuse_type"], name="unique_risk_abuse_type")]

    def __str__(self):
        return self.get_abuse_type_display()


class CaseAccessGrant(models.Model):
    """A named user who may see a restricted case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_grants")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="unique_case_grant")]

    def __str__(self):
        return f"{self.user} may see {self.case}"


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "Awaiting sign-off"
    SIGNED_OFF = "signed_off", "Signed off"
    RETURNED = "returned", "Returned with comments"


class Decision(models.Model):
    """The s42 test for a concern: proposed by a practitioner, signed off or returned by a manager."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    has_care_and_support_needs = models.BooleanField("Has needs for care and support")
    care_and_support_rationale = models.TextField("Why")
    experiencing_abuse_or_neglect = models.BooleanField("Is experiencing, or at risk of, abuse or neglect")
    abuse_or_neglect_rationale = models.TextField("Why")
    cannot_protect_self = models.BooleanField("As a result of those needs, cannot protect themselves")
    protect_self_rationale = models.TextField("Why")
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    signposting = models.TextField("Signposting or other service offered", blank=True)
    status = models.CharField(max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comments = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True, help_text="The sign-off date: the SAC decision date.")

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["status", "proposed_at"], name="decision_status_proposed")]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.get_status_display()})"


class Enquiry(models.Model):
    """An s42 or other enquiry, opened when its decision is signed off.

    The SAC answers are stored here: derived from the practice records at closure sign-off
    for native cases, carried directly for imported ones. Reports aggregate these columns.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="enquiry")
    kind = models.CharField(max_length=20, choices=EnquiryKind.choices)
    started_on = models.DateField(help_text="The decision date.")
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="lead_enquiries"
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    concluded_on = models.DateField(null=True, blank=True, help_text="The closure sign-off date.")
    asked_desired_outcomes = models.CharField(max_length=20, choices=AskedDesiredOutcomes.choices, blank=True)
    asked_dont_know_reason = models.TextField(blank=True)
    outcomes_achieved = models.CharField(max_length=10, choices=OutcomesAchieved.choices, blank=True)
    lacked_capacity = models.CharField(max_length=12, choices=YesNoUnknown.choices, blank=True)
    advocacy = models.CharField(max_length=12, choices=YesNoUnknown.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "enquiries"
        indexes = [
            # Enquiries started / concluded in a period. The INCLUDE columns are everything a SAB
            # report and the practice-quality figures read from an enquiry, so their counts are
            # index-only scans (PostgreSQL).
            models.Index(fields=["started_on", "kind"], include=["case"], name="enquiry_started_case"),
            models.Index(
                fields=["concluded_on", "kind"],
                include=[
                    "case",
                    "asked_desired_outcomes",
                    "outcomes_achieved",
                    "lacked_capacity",
                    "advocacy",
                ],
                name="enquiry_concluded_answers",
            ),
            # Unconcluded enquiries, by lead (caseloads, My work) and by case (dashboard figures);
            # and the unallocated ones (few), which the dashboard and its list start from.
            models.Index(
                fields=["lead_practitioner", "started_on", "case"],
                name="enquiry_open_lead",
                condition=Q(concluded_on__isnull=True),
            ),
            models.Index(
                fields=["case", "lead_practitioner", "started_on"],
                name="enquiry_open_case",
                condition=Q(concluded_on__isnull=True),
            ),
            models.Index(
                fields=["case"],
                name="enquiry_unallocated",
                condition=Q(concluded_on__isnull=True, lead_practitioner__isnull=True),
            ),
            # A closed case's conclusion date by case: the dashboard's independent follow-ups due
            # (feedback.selectors.follow_up_figures) look it up for each of a team's closures of
            # the last 26 weeks, from this index alone.
            models.Index(
                fields=["case"],
                include=["concluded_on"],
                name="enquiry_concluded_case",
                condition=Q(concluded_on__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.case}"


class CaseEvent(models.Model):
    """One line of a case's chronology. The summary is case content, shown only in scope."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40)
    summary = models.TextField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="event_case_at")]

    def __str__(self):
        return f"{self.at:%d %b %Y %H:%M} {self.kind}"
