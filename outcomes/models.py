"""Making Safeguarding Personal records on an enquiry.

Conversations with the adult, their desired outcomes in their own words (with every change
kept), negotiated outcomes where a wish cannot be met as stated, capacity assessments and
advocacy, declined support with an "open door" follow-up, the protection plan, the six-principle
checks, the closure review with the adult, and the "What you told us" summary for the adult.
The enquiry's SAC answers are derived from these records at closure sign-off (`outcomes.sac`).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

User = settings.AUTH_USER_MODEL


class RecordRevision(models.Model):
    """One version of a correctable MSP record, as it stood from `changed_at` (version 1 is the
    record as first saved). Written by `services.record_correct`; `data` holds the values of the
    fields a correction may change, so every earlier version can be read back."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    # The record page reads every revision of a case in one query.
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="record_revisions")
    version = models.PositiveIntegerField()
    data = models.JSONField(encoder=DjangoJSONEncoder)
    change_reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["content_type", "object_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "version"], name="unique_record_revision")
        ]
        indexes = [models.Index(fields=["case"], name="record_revision_case")]

    def __str__(self):
        return f"Version {self.version} of {self.content_type.model} {self.object_id}"

    def entries(self):
        """[(label, value)] of this version in the model's field order; choices as their labels,
        yes/no as words and dates as dates."""
        import datetime

        model = self.content_type.model_class()
        rows = []
        for field in model._meta.concrete_fields:
            if field.name not in self.data:
                continue
            value = self.data[field.name]
            if field.choices and value not in (None, ""):
                value = dict(field.flatchoices).get(value, value)
            elif isinstance(field, models.BooleanField):
                value = {True: "Yes", False: "No"}.get(value, "Not answered")
            elif isinstance(field, models.DateField) and value:
                value = datetime.date.fromisoformat(value)
            rows.append((str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:], value))
        return rows


def for_the_person_field(example):
    """A short text written to the adult, as "you", that their "What you told us" summary prints
    in place of the practitioner's own record (which is often in the third person)."""
    return models.TextField(
        "In your words to the person (for their summary)",
        blank=True,
        help_text=f"Written to them, as \u201cyou\u201d, in short plain sentences. For example: \u201c{example}\u201d "
        "Leave it empty and the summary uses the record's own words.",
    )


class Correctable(models.Model):
    """A saved record that its author or a manager may correct while the enquiry is open.

    `version` is the optimistic lock (a correction names the version it was made from);
    every version, the first included, is kept as a `RecordRevision` once it is corrected.
    """

    version = models.PositiveIntegerField(default=1)
    revisions = GenericRelation(RecordRevision)

    class Meta:
        abstract = True

    @property
    def corrected(self):
        return self.version > 1


class ConversationMode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    LETTER = "letter", "Letter or email"
    INTERPRETER = "interpreter", "With an interpreter or BSL interpreter"


class OutcomesDiscussion(models.TextChoices):
    """What this conversation found out about the adult's desired outcomes."""

    NOT_DISCUSSED = "not_discussed", "Desired outcomes were not discussed"
    EXPRESSED = "expressed", "Asked, and outcomes were expressed (record them as desired outcomes)"
    NONE_EXPRESSED = "none_expressed", "Asked about desired outcomes, none expressed"


class Conversation(Correctable):
    """One conversation with (or about) the adult: MSP is a series of these."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="conversations")
    held_on = models.DateField("Date of the conversation")
    mode = models.CharField("How it took place", max_length=20, choices=ConversationMode.choices)
    with_adult = models.BooleanField("The adult", default=True)
    with_advocate = models.BooleanField("An advocate", default=False)
    with_representative = models.BooleanField("A representative", default=False)
    with_family = models.BooleanField("Family or friends", default=False)
    with_agencies = models.BooleanField("Other agencies", default=False)
    agencies = models.CharField("Which agencies", max_length=200, blank=True)
    spoken_to_alone = models.BooleanField("Was the adult spoken to alone?")
    not_alone_reason = models.TextField("Why the adult was not spoken to alone", blank=True)
    what_matters = models.TextField("What matters to the person, in their own words", blank=True)
    outcomes_discussion = models.CharField(
        "Desired outcomes", max_length=20, choices=OutcomesDiscussion.choices, default=OutcomesDiscussion.NOT_DISCUSSED
    )
    options_explained = models.TextField("Options and risks explained", blank=True)
    persons_decision = models.TextField("The person's decision", blank=True)
    next_steps = models.TextField("Agreed next steps", blank=True)
    next_contact_on = models.DateField("Next contact date", null=True, blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["case", "-held_on"], name="conversation_case_held"),
            # The managers' dashboard: which cases had a conversation in the last N days.
            models.Index(fields=["held_on", "case"], name="conversation_held_case"),
        ]

    def __str__(self):
        return f"{self.get_mode_display()} conversation on {self.held_on.day} {self.held_on:%b %Y}"

    @property
    def participant_labels(self):
        names = [
            self._meta.get_field(name).verbose_name
            for name in ("with_adult", "with_advocate", "with_representative", "with_family", "with_agencies")
            if getattr(self, name)
        ]
        if self.with_agencies and self.agencies:
            names[-1] = f"{names[-1]} ({self.agencies})"
        return names


class ExpressedBy(models.TextChoices):
    ADULT = "adult", "The adult"
    REPRESENTATIVE = "representative", "Their representative"
    BEST_INTERESTS = "best_interests", "A best-interests view (the adult lacks capacity)"


class DesiredOutcome(models.Model):
    """What the person wants to happen, in their own words. Every wording is kept as a revision."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="desired_outcomes")
    words = models.TextField("The outcome in the person's own words")
    expressed_by = models.CharField("Who expressed it", max_length=20, choices=ExpressedBy.choices)
    expressed_on = models.DateField("When it was expressed")
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["expressed_on", "id"]

    def __str__(self):
        return f"Desired outcome {self.pk}"


class DesiredOutcomeRevision(models.Model):
    """One wording of a desired outcome, as it stood from `changed_at` (version 1 is the first)."""

    outcome = models.ForeignKey(DesiredOutcome, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    words = models.TextField()
    expressed_by = models.CharField(max_length=20, choices=ExpressedBy.choices)
    expressed_on = models.DateField()
    change_reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["outcome", "-version"]
        constraints = [models.UniqueConstraint(fields=["outcome", "version"], name="unique_outcome_revision")]

    def __str__(self):
        return f"Version {self.version} of desired outcome {self.outcome_id}"


class NegotiationReason(models.TextChoices):
    RISK_TO_OTHERS = "risk_to_others", "Risk to others"
    PUBLIC_INTEREST = "public_interest", "Public interest or a crime"
    LEGAL_DUTY = "legal_duty", "A legal duty"
    NOT_POSSIBLE = "not_possible", "Not possible as stated"
    BEST_INTERESTS = "best_interests", "Best interests (the adult lacks capacity)"


class NegotiatedOutcome(models.Model):
    """The agreed version of a desired outcome that cannot be met as the person stated it."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="negotiated_outcomes")
    desired_outcome = models.OneToOneField(DesiredOutcome, on_delete=models.CASCADE, related_name="negotiated")
    words = models.TextField("What was agreed instead")
    for_the_person = for_the_person_field("The police will be told. You can choose whether to speak to them.")
    reason = models.CharField(
        "Why the outcome could not be met as stated", max_length=20, choices=NegotiationReason.choices
    )
    reason_detail = models.TextField("More about the reason", blank=True)
    explained_to_adult = models.BooleanField("Was this explained to the adult?", default=False)
    explained_on = models.DateField("When it was explained", null=True, blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Negotiated outcome for {self.desired_outcome_id}"


class CapacityOutcome(models.TextChoices):
    HAS_CAPACITY = "has_capacity", "Has capacity for this decision"
    LACKS_CAPACITY = "lacks_capacity", "Lacks capacity for this decision"


class CapacityAssessment(Correctable):
    """A mental capacity assessment for one specific decision (Mental Capacity Act 2005)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="capacity_assessments")
    decision = models.TextField("The decision in question")
    about_the_enquiry = models.BooleanField(
        "This decision is about the safeguarding enquiry",
        default=True,
        help_text="The SAC asks whether the adult lacked capacity to make decisions about the enquiry.",
    )
    outcome = models.CharField("Outcome", max_length=20, choices=CapacityOutcome.choices)
    assessed_on = models.DateField("Date of the assessment")
    assessor = models.CharField("Assessor (name and role)", max_length=200)
    best_interests = models.TextField(
        "Best-interests decision and who was consulted",
        blank=True,
        help_text="Required when the adult lacks capacity for this decision.",
    )
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessed_on", "id"]

    def __str__(self):
        return f"Capacity assessment {self.pk}"

    @property
    def lacks_capacity(self):
        return self.outcome == CapacityOutcome.LACKS_CAPACITY


class AdvocacyKind(models.TextChoices):
    INDEPENDENT = "independent", "Independent (Care Act) advocate"
    FAMILY_FRIEND = "family_friend", "Family member or friend"
    OTHER = "other", "Other advocate (for example IMCA or IMHA)"
    NONE = "none", "No advocate or support"
    DECLINED = "declined", "The adult declined advocacy"


#: Kinds of advocacy that count as "support provided by an advocate, family or friend" (SAC).
ADVOCACY_SUPPORT = (AdvocacyKind.INDEPENDENT, AdvocacyKind.FAMILY_FRIEND, AdvocacyKind.OTHER)


class Advocacy(Correctable):
    """Who supported the adult to take part in the enquiry (or that nobody did)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="advocacy_records")
    kind = models.CharField("Advocacy", max_length=20, choices=AdvocacyKind.choices)
    advocate = models.CharField("Advocate's name and organisation", max_length=200, blank=True)
    from_date = models.DateField("From")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["from_date", "id"]
        verbose_name_plural = "advocacy records"

    def __str__(self):
        return self.get_kind_display()


class OverrideReason(models.TextChoices):
    OTHERS_AT_RISK = "others_at_risk", "Others are at risk"
    PUBLIC_INTEREST = "public_interest", "Public interest"
    DUTY_OF_CARE = "duty_of_care", "Duty of care"
    COERCION = "coercion", "Suspected coercion or control"


class DeclinedSupport(Correctable):
    """Support the adult declined, what was explained, any override, and the open-door follow-up."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="declined_support")
    declined_on = models.DateField("Date declined")
    what_was_declined = models.TextField("What support was declined")
    what_was_explained = models.TextField("What was explained to the adult")
    override_reason = models.CharField(
        "Reason to act despite the adult's wish", max_length=20, choices=OverrideReason.choices, blank=True
    )
    override_detail = models.TextField("More about the override", blank=True)
    follow_up_on = models.DateField(
        "Open-door follow-up date", help_text="When to get back in touch. It appears in work queues until done."
    )
    for_the_person = for_the_person_field("The day centre place is held for you for 4 weeks.")
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    follow_up_done_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["declined_on", "id"]
        verbose_name_plural = "declined support"
        indexes = [
            models.Index(fields=["follow_up_on"], name="declined_followup_due", condition=Q(follow_up_done_at=None))
        ]

    def __str__(self):
        return f"Declined support {self.pk}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class PlanAction(Correctable):
    """One action in the protection (safeguarding) plan."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="plan_actions")
    action = models.TextField("Action")
    responsible = models.CharField("Responsible person or agency", max_length=200)
    for_the_person = for_the_person_field("Your bank will send new cards to you, and only to you.")
    due_on = models.DateField("Due date")
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on"], name="plan_action_open_due", condition=Q(status="open"))]

    def __str__(self):
        return f"Plan action {self.pk}"

    def is_overdue(self, today=None):
        return self.status == ActionStatus.OPEN and self.due_on < (today or timezone.localdate())

    @property
    def overdue(self):
        return self.is_overdue()


class Principle(models.TextChoices):
    EMPOWERMENT = "empowerment", "Empowerment"
    PREVENTION = "prevention", "Prevention"
    PROPORTIONALITY = "proportionality", "Proportionality"
    PROTECTION = "protection", "Protection"
    PARTNERSHIP = "partnership", "Partnership"
    ACCOUNTABILITY = "accountability", "Accountability"


#: Each principle's "I" statement from the adult's perspective (Care Act statutory guidance, 14.13).
I_STATEMENTS = {
    Principle.EMPOWERMENT: (
        "I am asked what I want as the outcomes from the safeguarding process and these directly inform what happens."
    ),
    Principle.PREVENTION: (
        "I receive clear and simple information about what abuse is, how to recognise the signs and what I can "
        "do to seek help."
    ),
    Principle.PROPORTIONALITY: (
        "I am sure that the professionals will work in my interest, as I see them, and they will only get "
        "involved as much as needed."
    ),
    Principle.PROTECTION: (
        "I get help and support to report abuse and neglect. I get help so that I am able to take part in the "
        "safeguarding process to the extent to which I want."
    ),
    Principle.PARTNERSHIP: (
        "I know that staff treat any personal and sensitive information in confidence, only sharing what is "
        "helpful and necessary. I am confident that professionals will work together and with me to get the "
        "best result for me."
    ),
    Principle.ACCOUNTABILITY: "I understand the role of everyone involved in my life and so do they.",
}


class PrincipleRating(models.TextChoices):
    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"


class PrincipleCheck(models.Model):
    """How one of the six principles was evidenced in this case, and the manager's review of it."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="principle_checks")
    principle = models.CharField(max_length=20, choices=Principle.choices)
    evidence = models.TextField("How this was evidenced in this case", blank=True)
    evidenced_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    evidenced_at = models.DateTimeField(null=True, blank=True)
    rating = models.CharField("Manager's review", max_length=10, choices=PrincipleRating.choices, blank=True)
    manager_comment = models.TextField("Manager's comment", blank=True)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "principle"], name="unique_case_principle")]
        # Practice quality counts the reviews of many cases' checks from the index alone.
        indexes = [models.Index(fields=["case"], include=["principle", "rating"], name="principle_check_rating")]

    def __str__(self):
        return self.get_principle_display()

    @property
    def i_statement(self):
        return I_STATEMENTS[Principle(self.principle)]


class Achievement(models.TextChoices):
    FULLY = "fully", "Fully achieved"
    PARTIALLY = "partially", "Partially achieved"
    NOT = "not", "Not achieved"


class NoReviewReason(models.TextChoices):
    DIED = "died", "The person died"
    MOVED = "moved", "The person moved away"
    DECLINED = "declined", "The person declined a review"
    OTHER = "other", "Other reason"


class ClosureStatus(models.TextChoices):
    DRAFT = "draft", "Being prepared"
    SENT = "sent", "Sent for closure sign-off"
    RETURNED = "returned", "Returned with comments"
    SIGNED_OFF = "signed_off", "Signed off"


class ClosureReview(models.Model):
    """The review of the enquiry with the adult at its end, and its sign-off by a manager."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="closure_review")
    review_held = models.BooleanField("Was the review held with the adult (or their representative)?", default=True)
    no_review_reason = models.CharField(
        "Why no review was possible", max_length=10, choices=NoReviewReason.choices, blank=True
    )
    no_review_detail = models.TextField("More about why no review was possible", blank=True)
    # The person's feedback (the three feeling questions and their own words) moved to the
    # `feedback` app's questionnaire (feedback 0002 carried every answer over).
    asked_dont_know_reason = models.TextField(
        "If it is not known whether the adult was asked about desired outcomes, why",
        blank=True,
        help_text="Only when no conversation records it. The SAC answer is then 'Don't know'.",
    )
    status = models.CharField(max_length=12, choices=ClosureStatus.choices, default=ClosureStatus.DRAFT)
    sent_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    manager_comments = models.TextField("Manager's comments", blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Closure review for case {self.case_id}"


class OutcomeReview(models.Model):
    """Whether one desired outcome (or its negotiated version) was achieved, in two views."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="outcome_reviews")
    desired_outcome = models.OneToOneField(DesiredOutcome, on_delete=models.CASCADE, related_name="review")
    adult_view = models.CharField("In the adult's view", max_length=10, choices=Achievement.choices, blank=True)
    practitioner_view = models.CharField("In the practitioner's view", max_length=10, choices=Achievement.choices)
    comment = models.TextField(blank=True)

    def __str__(self):
        return f"Review of desired outcome {self.desired_outcome_id}"


class SummaryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being prepared"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class SummaryDocument(models.Model):
    """A "What you told us" PDF for the adult, rendered by a Celery task into default storage."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="summary_documents")
    requested_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.QUEUED)
    file = models.FileField(upload_to="summaries/%Y/%m/", blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    render_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    easy_read = models.BooleanField(
        "Easy read", default=False, help_text="Large print, short sentences, one idea per line."
    )

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"Summary {self.pk} ({self.get_status_display()})"


class CaseSummaryDocument(models.Model):
    """A staff case summary PDF: the whole record of one case (for a case conference or a court
    bundle), rendered by a Celery task into default storage and downloaded only in the case's scope."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="case_summary_documents")
    requested_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.QUEUED)
    file = models.FileField(upload_to="case-summaries/%Y/%m/", blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    render_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"Case summary {self.pk} ({self.get_status_display()})"


class PracticeAuditStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class PracticeAudit(models.Model):
    """A random-sample case audit: a manager draws N closed cases and rates each against the six
    principles. The drawn cases are stored (with the seed that ordered them), so the sample
    is kept exactly as it was drawn."""

    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practice_audits",
        help_text="Empty for an audit across all teams (safeguarding leads only).",
    )
    period_start = models.DateField("Closed from")
    period_end = models.DateField("Closed up to")
    sample_size = models.PositiveSmallIntegerField("Cases asked for")
    seed = models.BigIntegerField(
        help_text="The seed that ordered the draw; the same seed over the same cases draws the same sample."
    )
    status = models.CharField(
        max_length=12, choices=PracticeAuditStatus.choices, default=PracticeAuditStatus.IN_PROGRESS
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["team", "-created_at"], name="practice_audit_team_created")]

    def __str__(self):
        return f"Practice audit {self.pk}"


class PracticeAuditCase(models.Model):
    """One case drawn into a practice audit, in the order it was drawn."""

    audit = models.ForeignKey(PracticeAudit, on_delete=models.CASCADE, related_name="audit_cases")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="practice_audit_cases")
    order = models.PositiveSmallIntegerField()
    rated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "order"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "case"], name="unique_practice_audit_case"),
            models.UniqueConstraint(fields=["audit", "order"], name="unique_practice_audit_order"),
        ]

    def __str__(self):
        return f"Case {self.case_id} in practice audit {self.audit_id}"


class PracticeAuditRating(models.Model):
    """The auditor's rating of one principle on one audited case (the comment is case content)."""

    audit_case = models.ForeignKey(PracticeAuditCase, on_delete=models.CASCADE, related_name="ratings")
    principle = models.CharField(max_length=20, choices=Principle.choices)
    rating = models.CharField(max_length=10, choices=PrincipleRating.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["audit_case", "id"]
        constraints = [models.UniqueConstraint(fields=["audit_case", "principle"], name="unique_practice_audit_rating")]

    def __str__(self):
        return f"{self.get_principle_display()}: {self.get_rating_display()}"
