"""The field lists of the adult (Person), the concern (Case) and the decision, in one place.

`PERSON_FIELDS`, `CONCERN_FIELDS` and `DECISION_FIELDS` are what a practitioner records (the
forms and `services`). The `*_COLUMNS` lists are the columns the demo generator (`synthetic`)
and the legacy import (`importer`) write with `bulk.copy_rows`, built from the same field
lists; `row_maker(COLUMNS)` turns a dict into a row in that order, so a writer names its
values and never depends on a column's position. A column left out of these lists gets its
Django default from `bulk.copy_rows`.
"""

from operator import itemgetter

# What a practitioner records about the adult at risk.
PERSON_FIELDS = (
    "legal_name",
    "preferred_name",
    "date_of_birth",
    "nhs_number",
    "gender",
    "ethnicity",
    "primary_support_reason",
    "health_condition",
    "communication_needs",
    "address",
    "representative_contacts",
)

# What a concern records about itself. Its risks (types, location, source) are Risk records.
CONCERN_FIELDS = (
    "received_at",
    "referrer_name",
    "referrer_agency",
    "referrer_relationship",
    "referrer_type",
    "what_happened",
    "others_at_risk_children",
    "others_at_risk_adults",
    "immediate_actions",
    "adult_aware",
    "adult_wants",
)

# What a practitioner proposes as the s42 decision (the decision form, `services.propose_decision`).
DECISION_FIELDS = (
    "has_care_and_support_needs",
    "care_and_support_rationale",
    "experiencing_abuse_or_neglect",
    "abuse_or_neglect_rationale",
    "cannot_protect_self",
    "protect_self_rationale",
    "outcome",
    "signposting",
)

PERSON_COLUMNS = (
    "id",
    *PERSON_FIELDS,
    "legacy_ref",
    "imported",
    "version",
    "created_at",
    "updated_at",
)
CASE_COLUMNS = (
    "id",
    "ref",
    "person_id",
    "team_id",
    "state",
    "restricted",
    "imported",
    "version",
    *CONCERN_FIELDS,
    "decision_due",
    "closed_at",
    "created_by_id",
    "created_at",
    "updated_at",
)
RISK_COLUMNS = ("id", "case_id", "location", "source", "assessment", "result", "version", "created_at", "updated_at")
RISK_TYPE_COLUMNS = ("risk_id", "abuse_type")
DECISION_COLUMNS = (
    "case_id",
    *DECISION_FIELDS,
    "status",
    "proposed_by_id",
    "proposed_at",
    "reviewed_by_id",
    "reviewed_at",
    "review_comments",
    "decided_on",
)
ENQUIRY_COLUMNS = (
    "case_id",
    "kind",
    "started_on",
    "lead_practitioner_id",
    "allocated_at",
    "concluded_on",
    "asked_desired_outcomes",
    "asked_dont_know_reason",
    "outcomes_achieved",
    "lacked_capacity",
    "advocacy",
    "version",
)
EVENT_COLUMNS = ("case_id", "at", "actor_id", "kind", "summary")


def row_maker(columns):
    """A function from a dict naming every column to its values as a tuple in `columns` order."""
    return itemgetter(*columns)
