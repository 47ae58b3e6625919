"""The public form's pages in order, and the answers so far, kept in the visitor's session.

Nothing typed ever goes into a URL: each page posts to its own fixed address and what was
typed waits in the session (raw, as posted, so a page shown again holds exactly what was
typed) until the last page sends it. Every stored page is validated again on each read, so
changing an early answer (member of the public or professional) sends the visitor back to the
page that no longer fits.
"""

from django.utils.datastructures import MultiValueDict

from . import forms

SESSION_KEY = "frontdoor_answers"
REFERENCE_KEY = "frontdoor_reference"
ROBOT_KEY = "frontdoor_robot"

#: (address, page title) in order. "about-you" asks a professional more than the public.
STEPS = [
    ("danger", "Is anyone in immediate danger?"),
    ("who", "About you"),
    ("about-you", "Your details"),
    ("consent", "Does the adult know?"),
    ("adult", "About the adult"),
    ("what-happened", "What happened"),
    ("harm", "Who may be causing harm"),
]
SLUGS = [slug for slug, _title in STEPS]
TITLES = dict(STEPS)


class Flow:
    def __init__(self, session):
        self.session = session
        self.raw = session.get(SESSION_KEY, {})

    def form_class(self, slug):
        if slug == "about-you":
            reporter = self.raw.get("who", {}).get("reporter", [""])[0]
            return forms.ProfessionalReferrerForm if reporter == "professional" else forms.PublicReferrerForm
        return {
            "danger": forms.DangerForm,
            "who": forms.WhoForm,
            "consent": forms.ConsentForm,
            "adult": forms.AdultForm,
            "what-happened": forms.WhatHappenedForm,
            "harm": forms.HarmForm,
        }[slug]

    def stored_form(self, slug):
        """The page's form bound to what was stored, or None if the page was not answered yet."""
        data = self.raw.get(slug)
        if data is None:
            return None
        return self.form_class(slug)(MultiValueDict(data))

    def save(self, slug, form, post):
        self.raw[slug] = {name: post.getlist(name) for name in form.fields if name != forms.HONEYPOT}
        self.session[SESSION_KEY] = self.raw

    def first_incomplete(self):
        """The first page not answered, or whose stored answer is no longer valid; None when done."""
        for slug in SLUGS:
            form = self.stored_form(slug)
            if form is None or not form.is_valid():
                return slug
        return None

    def answers(self):
        """Everything the visitor answered, as Submission fields (call only when complete)."""
        answers = {}
        for slug in SLUGS:
            form = self.stored_form(slug)
            form.is_valid()
            answers.update(form.answers())
        answers.pop("reporter", None)
        return answers

    def summary(self):
        """(page title, address, [(question, answer shown)]) for the check-your-answers page."""
        rows = []
        for slug in SLUGS:
            form = self.stored_form(slug)
            form.is_valid()
            shown = []
            for name, field in form.fields.items():
                if name == forms.HONEYPOT:
                    continue
                value = form.cleaned_data.get(name)
                if hasattr(field, "choices") and value not in (None, ""):
                    labels = dict(field.choices)
                    value = (
                        ", ".join(str(labels.get(v, v)) for v in value)
                        if isinstance(value, list)
                        else labels.get(value, value)
                    )
                if value in (None, "", []):
                    value = "Not given"
                elif hasattr(value, "strftime"):
                    value = f"{value.day} {value:%B %Y}"
                shown.append((field.label, value))
            rows.append((TITLES[slug], slug, shown))
        return rows

    def clear(self):
        self.session.pop(SESSION_KEY, None)
        self.session.pop(ROBOT_KEY, None)
        self.raw = {}
