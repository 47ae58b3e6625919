"""The questionnaire: the MSP Outcomes Framework's questions and the six principles' "I" statements.

One catalogue, read by the forms (staff and easy-read), the records, the SAB table
`msp_feedback` (rows: `Question.code`; columns: `ANSWER_COLUMNS`) and the docs. Each question
has an adult's wording, a representative's wording and an easy-read wording. Codes are a
contract (docs/interchange.md): never renumber or reuse one.

No answer has a default: every scale ends with "I'd rather not say", and the staff routes
(at closure, independent follow-up) add "Not asked", so an unanswered item is never counted as
an answer nobody gave.
"""

from dataclasses import dataclass

from outcomes.models import I_STATEMENTS, Principle

RATHER_NOT_SAY = "rather_not_say"
NOT_ASKED = "not_asked"

#: Every answer code, in the order of the SAB table's columns.
ANSWERS = {
    "yes_expressed": "Yes, and I said what I wanted",
    "yes_none": "Yes, but I did not say what I wanted",
    "fully": "Yes, fully",
    "partially": "Partly",
    "not": "No",
    "no_outcomes": "I did not say what I wanted",
    "yes": "Yes",
    "partly": "Partly",
    "no": "No",
    "dont_know": "I don't know",
    RATHER_NOT_SAY: "I'd rather not say",
    NOT_ASKED: "Not asked (or the person could not answer)",
}
ANSWER_COLUMNS = tuple(ANSWERS)

#: Easy-read labels of the answers (plain words; the codes are the same).
EASY_ANSWERS = {
    "yes_expressed": "Yes. I said what I wanted",
    "yes_none": "Yes. But I did not say",
    "fully": "Yes",
    "partially": "A bit",
    "not": "No",
    "no_outcomes": "I did not say what I wanted",
    "yes": "Yes",
    "partly": "A bit",
    "no": "No",
    "dont_know": "I don't know",
    RATHER_NOT_SAY: "I'd rather not say",
}

YES_PARTLY_NO = ("yes", "partly", "no")


@dataclass(frozen=True)
class Question:
    code: str
    adult: str
    representative: str
    easy: str
    answers: tuple
    principle: str = ""
    short: str = ""  # the board's label of the question (tables, charts)

    def choices(self, *, staff, easy=False):
        """The answers a form offers: the scale, "I'd rather not say", and "Not asked" for staff."""
        labels = EASY_ANSWERS if easy else ANSWERS
        codes = [*self.answers, RATHER_NOT_SAY] + ([NOT_ASKED] if staff else [])
        return [(code, labels[code]) for code in codes]

    def wording(self, version):
        return self.representative if version == "representative" else self.adult


FRAMEWORK = (
    Question(
        "q1_asked",
        "Were you asked what you wanted to happen as a result of the safeguarding enquiry?",
        "Was the person (or were you, for them) asked what they wanted to happen as a result of the enquiry?",
        "Did we ask you what you wanted to happen?",
        ("yes_expressed", "yes_none", "no", "dont_know"),
        short="Asked what they wanted",
    ),
    Question(
        "q2_achieved",
        "Did you get what you wanted to happen?",
        "Did the person get what they (or you, for them) wanted to happen?",
        "Did you get what you wanted?",
        ("fully", "partially", "not", "no_outcomes"),
        short="Got what they wanted",
    ),
    Question(
        "q3_listened",
        "Did you feel listened to?",
        "Do you feel the person (and you, for them) were listened to?",
        "Did we listen to you?",
        YES_PARTLY_NO,
        short="Felt listened to",
    ),
    Question(
        "q4_in_control",
        "Did you feel involved, and in control of what happened, as much as you wanted?",
        "Do you feel the person was involved, and in control of what happened, as much as they could be?",
        "Did you have a say in what happened?",
        YES_PARTLY_NO,
        short="Felt involved and in control",
    ),
    Question(
        "q5_safer",
        "Do you feel safer now?",
        "Do you feel the person is safer now?",
        "Do you feel safer now?",
        YES_PARTLY_NO,
        short="Feel safer",
    ),
    Question(
        "q6_informed",
        "Were you given the information you needed, in a way you could understand?",
        "Were the person (and you) given the information needed, in a way they could understand?",
        "Did we explain things so you understood?",
        YES_PARTLY_NO,
        short="Understood what was happening",
    ),
    Question(
        "q7_respected",
        "Were you treated with dignity and respect?",
        "Was the person treated with dignity and respect?",
        "Were you treated well?",
        YES_PARTLY_NO,
        short="Treated with dignity and respect",
    ),
)

#: The "I" statements in the representative's and the easy-read wording (the adult's is the statutory one).
_PRINCIPLE_WORDS = {
    Principle.EMPOWERMENT: (
        "The person was asked what they wanted from the safeguarding, and it shaped what happened.",
        "We asked what you wanted. It changed what we did.",
    ),
    Principle.PREVENTION: (
        "The person was given clear, simple information about abuse, its signs and how to get help.",
        "We told you about abuse and how to get help.",
    ),
    Principle.PROPORTIONALITY: (
        "The professionals worked in the person's interest, as they see it, and got involved only as much as needed.",
        "We only did as much as you needed.",
    ),
    Principle.PROTECTION: (
        "The person got help to report the abuse and to take part in the safeguarding as much as they wanted.",
        "We helped you to tell us and to take part.",
    ),
    Principle.PARTNERSHIP: (
        "Information about the person was kept confidential and shared only when helpful and necessary; the "
        "professionals worked together, and with the person, for the best result.",
        "We kept your information safe. We worked together with you.",
    ),
    Principle.ACCOUNTABILITY: (
        "The person understands what everyone involved does, and so do they.",
        "You know who everyone is and what they do.",
    ),
}

PRINCIPLES = tuple(
    Question(
        f"p_{principle.value}",
        I_STATEMENTS[principle],
        _PRINCIPLE_WORDS[principle][0],
        _PRINCIPLE_WORDS[principle][1],
        YES_PARTLY_NO,
        principle=principle.value,
        short=f"{principle.label}: the \u201cI\u201d statement",
    )
    for principle in Principle
)

QUESTIONS = FRAMEWORK + PRINCIPLES
BY_CODE = {question.code: question for question in QUESTIONS}
QUESTION_CODES = tuple(BY_CODE)

#: The closure review's three feeling questions, and the item each one became (feedback 0002).
CLOSURE_REVIEW_ITEMS = {
    "felt_listened_to": "q3_listened",
    "felt_safer": "q5_safer",
    "felt_in_control": "q4_in_control",
}
