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
