"""People alleged to have caused harm, and people in positions of trust.

A risk records the category of its source ("known to the individual", "service provider"...);
it can also name the person alleged to have caused the harm. A `PersonAlleged` is that person's
record: another data subject, whose personal data follows the case access rules, is audited,
never appears on the adult's own summary and is redacted from the adult's subject access
export. A `RiskPerson` names them on one risk, with their relationship to that adult (the same
person can be a paid carer to one adult and a relative of another). A safeguarding lead sees
where one person appears across cases, merges two records found to be the same person (the
merged record is kept, pointing at the one it became), and records a people-in-positions-of-trust
(PiPoT) referral to their employer with its date and outcome (`TrustReferral`).

Nothing here is counted in the SAC: the return counts the source of risk category, on the risk.
Names are never in a URL, a log, an audit detail or a chronology line.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

User = settings.AUTH_USER_MODEL


class Relationship(models.TextChoices):
    FAMILY = "family", "Family member"
    PARTNER = "partner", "Partner or ex-partner"
    PAID_CARER = "paid_carer", "Paid carer"
    PROVIDER_STAFF = "provider_staff", "Staff of a care or support provider"
    VOLUNTEER = "volunteer", "Volunteer"
    OTHER = "other", "Other"


class CareNeeds(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class PositionOfTrust(models.TextChoices):
    EMPLOYED_ADULTS = "employed_adults", "Yes: employed to work with adults"
    EMPLOYED_CHILDREN = "employed_children", "Yes: employed to work with children"
    VOLUNTEER_ADULTS = "volunteer_adults", "Yes: volunteers with adults"
    VOLUNTEER_CHILDREN = "volunteer_children", "Yes: volunteers with children"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


IN_POSITION_OF_TRUST = frozenset(
    {
        PositionOfTrust.EMPLOYED_ADULTS,
        PositionOfTrust.EMPLOYED_CHILDREN,
        PositionOfTrust.VOLUNTEER_ADULTS,
        PositionOfTrust.VOLUNTEER_CHILDREN,
    }
)


class ReferralOutcome(models.TextChoices):
    AWAITING = "awaiting", "Awaiting the employer's response"
    NO_ACTION = "no_action", "No further action by the employer"
    SUPPORT = "support", "Supervision, training or support"
    DISCIPLINARY = "disciplinary", "Disciplinary action"
    DISMISSED = "dismissed", "Dismissed, or left the role"
    DBS = "dbs", "Referred to the Disclosure and Barring Service"
    POLICE = "police", "Referred to the police"


def name_key(name):
    """A name as records are matched on: lower case, single spaces."""
    return " ".join((name or "").lower().split())


class PersonAllegedQuerySet(models.QuerySet):
    def current(self):
        """Records not merged into another."""
        return self.filter(merged_into__isnull=True)


class PersonAlleged(models.Model):
    name = models.CharField("Full name", max_length=200)
    date_of_birth = models.DateField("Date of birth", null=True, blank=True, help_text="If known.")
    # No model defaults: each is answered on the form.
    care_needs = models.CharField(
        "Are they an adult with care and support needs themselves?", max_length=10, choices=CareNeeds.choices
    )
    position_of_trust = models.CharField(
        "Are they in a position of trust?",
        max_length=20,
        choices=PositionOfTrust.choices,
        help_text="Employed or volunteering in work with adults with care and support needs, or with children.",
    )
    employer = models.CharField(
        "Employer or organisation", max_length=200, blank=True, help_text="Where they work or volunteer, if known."
    )
    provider = models.ForeignKey(
        "partnership.PartnerOrganisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people_alleged",
        verbose_name="Provider they work for (if on the partner list)",
    )
    # The name as records are matched on: lower case, single spaces (kept by `save`).
    match_key = models.CharField(max_length=200, editable=False, db_index=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged", editable=False
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonAllegedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "person alleged to have caused harm"
        verbose_name_plural = "people alleged to have caused harm"
        constraints = [
            models.CheckConstraint(condition=~Q(merged_into=models.F("id")), name="person_alleged_not_merged_into_self")
        ]

    def __str__(self):
        return f"Person alleged {self.pk}"

    def save(self, *args, **kwargs):
        self.match_key = name_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "match_key"}
        super().save(*args, **kwargs)

    @property
    def label(self):
        return f"PA-{self.pk:05d}"

    @property
    def in_position_of_trust(self):
        return self.position_of_trust in IN_POSITION_OF_TRUST


class RiskPerson(models.Model):
    """A person named on one risk as alleged to have caused the harm."""

    risk = models.ForeignKey("cases.Risk", on_delete=models.CASCADE, related_name="people_alleged")
    # The risk's case, kept here so a person's cases are read through the case access policy.
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="people_alleged")
    person = models.ForeignKey(PersonAlleged, on_delete=models.PROTECT, related_name="risk_links")
    relationship = models.CharField("Their relationship to the adult", max_length=20, choices=Relationship.choices)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["risk_id", "id"]
        constraints = [models.UniqueConstraint(fields=["risk", "person"], name="unique_person_per_risk")]
        indexes = [models.Index(fields=["person", "case"], name="risk_person_person_case")]

    def __str__(self):
        return f"Person {self.person_id} on risk {self.risk_id}"


class TrustReferral(models.Model):
    """A people-in-positions-of-trust referral to the person's employer, and what came of it."""

    person = models.ForeignKey(PersonAlleged, on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # the referral outlives a case deleted at retention
        related_name="+",
        verbose_name="The case it arose from",
    )
    employer = models.CharField("Employer or organisation referred to", max_length=200)
    referred_on = models.DateField("Date referred")
    outcome = models.CharField("Outcome", max_length=20, choices=ReferralOutcome.choices)
    outcome_on = models.DateField("Date of the outcome", null=True, blank=True)
    outcome_notes = models.TextField("What the employer did or said", blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-referred_on", "-id"]
        constraints = [
            # An outcome other than "awaiting" has its date; "awaiting" has none.
            models.CheckConstraint(
                condition=(Q(outcome="awaiting") & Q(outcome_on__isnull=True))
                | (~Q(outcome="awaiting") & Q(outcome_on__isnull=False)),
                name="trust_referral_outcome_date",
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=models.F("referred_on")),
                name="trust_referral_outcome_after_referral",
            ),
        ]

    def __str__(self):
        return f"Referral {self.pk} of person {self.person_id}"

    @property
    def awaiting(self):
        return self.outcome == ReferralOutcome.AWAITING
