"""The anonymous questionnaire's pages, one question each, kept in the session until it is sent.

The session holds the code's id (not the code), who is answering and the answers so far; it is
cleared when the questionnaire is sent. Nothing in it names a case or a person.
"""

from .questions import BY_CODE, QUESTION_CODES

SESSION_KEY = "feedback_anonymous"
ROBOT_KEY = "feedback_robot"
STEPS = ("who", *QUESTION_CODES, "words")


class Answers:
    def __init__(self, session):
        self.session = session
        self.data = session.get(SESSION_KEY) or {}

    @property
    def open(self):
        return bool(self.data.get("code"))

    def start(self, code_id):
        self.data = {"code": code_id, "answers": {}}
        self._store()

    def _store(self):
        self.session[SESSION_KEY] = self.data
        self.session.modified = True

    def clear(self):
        self.session.pop(SESSION_KEY, None)
        self.session.pop(ROBOT_KEY, None)

    @property
    def version(self):
        return self.data.get("version")

    def value(self, step):
        if step == "who":
            return self.version
        if step == "words":
            return self.data.get("words")
        return self.data["answers"].get(step)

    def save(self, step, cleaned):
        if step == "who":
            self.data["version"] = cleaned["version"]
        elif step == "words":
            self.data["words"] = {"anything_else": cleaned["anything_else"], "share_consent": cleaned["share_consent"]}
        else:
            self.data["answers"][step] = cleaned["answer"]
        self._store()

    def first_missing(self):
        for step in STEPS:
            if self.value(step) is None:
                return step
        return None

    def summary(self):
        """[(question, answer label)] for the check page, in the easy-read words."""
        from .questions import EASY_ANSWERS

        return [
            (BY_CODE[code].easy, EASY_ANSWERS[answer])
            for code, answer in sorted(self.data["answers"].items(), key=lambda pair: QUESTION_CODES.index(pair[0]))
        ]
