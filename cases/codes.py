"""The coded values of the Safeguarding Adults Collection, exactly as `interchange.md` lists them.

These codes are a contract with other systems (legacy import, SAB report CSV): change a
label freely, never a value.
"""

from django.db import models


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class Ethnicity(models.TextChoices):
    WHITE = "white", "White"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, African, Caribbean or Black British"
    OTHER = "other", "Other ethnic group"
    REFUSED = "refused", "Refused"
    UNKNOWN = "unknown", "Not known"


class SupportReason(models.TextChoices):
    PHYSICAL = "physical", "Physical support"
    SENSORY = "sensory", "Sensory support"
    MEMORY_COGNITION = "memory_cognition", "Support with memory and cognition"
    LEARNING_DISABILITY = "learning_disability", "Learning disability support"
    MENTAL_HEALTH = "mental_health", "Mental health support"
    SOCIAL = "social", "Social support"
    NONE = "none", "No support reason"
    UNKNOWN = "unknown", "Not known"


class AbuseType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    SEXUAL = "sexual", "Sexual"
    PSYCHOLOGICAL = "psychological", "Psychological"
    FINANCIAL = "financial", "Financial or material"
    DISCRIMINATORY = "discriminatory", "Discriminatory"
    ORGANISATIONAL = "organisational", "Organisational"
    NEGLECT = "neglect", "Neglect and acts of omission"
    DOMESTIC = "domestic", "Domestic abuse"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation"
    MODERN_SLAVERY = "modern_slavery", "Modern slavery"
    SELF_NEGLECT = "self_neglect", "Self-neglect"


class LocationOfRisk(models.TextChoices):
    OWN_HOME = "own_home", "Own home"
    COMMUNITY = "community", "In the community (excluding community services)"
    COMMUNITY_SERVICE = "community_service", "In a community service"
    CARE_HOME_NURSING = "care_home_nursing", "Care home – nursing"
    CARE_HOME_RESIDENTIAL = "care_home_residential", "Care home – residential"
    HOSPITAL_ACUTE = "hospital_acute", "Hospital – acute"
    HOSPITAL_MENTAL_HEALTH = "hospital_mental_health", "Hospital – mental health"
    HOSPITAL_COMMUNITY = "hospital_community", "Hospital – community"
    OTHER = "other", "Other"


class SourceOfRisk(models.TextChoices):
    SERVICE_PROVIDER = "service_provider", "Service provider"
    KNOWN = "known", "Other – known to the individual"
    UNKNOWN = "unknown", "Other – unknown to the individual"


class DecisionOutcome(models.TextChoices):
    S42 = "s42", "Section 42 enquiry"
    OTHER_ENQUIRY = "other_enquiry", "Other safeguarding enquiry"
    NO_FURTHER_ACTION = "no_further_action", "No further safeguarding action"


class EnquiryKind(models.TextChoices):
    S42 = "s42", "Section 42 enquiry"
    OTHER_ENQUIRY = "other_enquiry", "Other safeguarding enquiry"


class RiskOutcome(models.TextChoices):
    REMOVED = "removed", "Risk identified, action taken: risk removed"
    REDUCED = "reduced", "Risk identified, action taken: risk reduced"
    REMAINS = "remains", "Risk identified, action taken: risk remains"
    NO_RISK = "no_risk", "No risk identified"
    CEASED = "ceased", "Enquiry ceased at the individual's request, no action taken"


class RiskAssessment(models.TextChoices):
    """The SAC's seven risk assessment outcomes (SG2c), one per risk of a concluded enquiry."""

    IDENTIFIED_ACTION = "identified_action", "Risk identified and action taken"
    IDENTIFIED_NO_ACTION = "identified_no_action", "Risk identified and no action taken"
    INCONCLUSIVE_ACTION = "inconclusive_action", "Assessment inconclusive and action taken"
    INCONCLUSIVE_NO_ACTION = "inconclusive_no_action", "Assessment inconclusive and no action taken"
    NO_RISK_ACTION = "no_risk_action", "No risk identified and action taken"
    NO_RISK_NO_ACTION = "no_risk_no_action", "No risk identified and no action taken"
    CEASED = "ceased", "Enquiry ceased at the individual's request and no action taken"


# The assessments after which a risk has a result (SG2e), and only these.
RISK_IDENTIFIED = (RiskAssessment.IDENTIFIED_ACTION, RiskAssessment.IDENTIFIED_NO_ACTION)


class RiskResult(models.TextChoices):
    """Where a risk was identified (with or without action): what became of it (SG2e)."""

    REMAINED = "remained", "Risk remained"
    REDUCED = "reduced", "Risk reduced"
    REMOVED = "removed", "Risk removed"


# Version 1's one `risk_outcome` per enquiry, as the assessment and result of its one risk
# (interchange.md, section 1b).
V1_RISK_OUTCOME = {
    "removed": (RiskAssessment.IDENTIFIED_ACTION, RiskResult.REMOVED),
    "reduced": (RiskAssessment.IDENTIFIED_ACTION, RiskResult.REDUCED),
    "remains": (RiskAssessment.IDENTIFIED_ACTION, RiskResult.REMAINED),
    "no_risk": (RiskAssessment.NO_RISK_NO_ACTION, ""),
    "ceased": (RiskAssessment.CEASED, ""),
}


class HealthCondition(models.TextChoices):
    """SG1e: the adult's health condition, where it is one of these."""

    AUTISM = "autism", "Autism (excluding Asperger's)"
    ASPERGER = "asperger", "Asperger's / high-functioning autism"


class AskedDesiredOutcomes(models.TextChoices):
    ASKED_EXPRESSED = "asked_expressed", "Yes, and outcomes were expressed"
    ASKED_NOT_EXPRESSED = "asked_not_expressed", "Yes, but no outcomes were expressed"
    NOT_ASKED = "not_asked", "No"
    DONT_KNOW = "dont_know", "Don't know"
    NOT_RECORDED = "not_recorded", "Not recorded"


class OutcomesAchieved(models.TextChoices):
    FULLY = "fully", "Fully achieved"
    PARTIALLY = "partially", "Partially achieved"
    NOT = "not", "Not achieved"


class YesNoUnknown(models.TextChoices):
    """The SAC's answer set for lacked capacity and for advocacy support."""

    YES = "yes", "Yes"
    NO = "no", "No"
    DONT_KNOW = "dont_know", "Don't know"
    NOT_RECORDED = "not_recorded", "Not recorded"


class ReferrerType(models.TextChoices):
    """Who raised a concern, by the sectors the SAB report counts (`concerns_by_referrer`)."""

    PUBLIC = "public", "Member of the public"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    CARE_PROVIDER = "care_provider", "Care provider"
    HOUSING = "housing", "Housing"
    OTHER_PROFESSIONAL = "other_professional", "Other professional"
