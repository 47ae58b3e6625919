"""Django's template backend, with direction-control characters made harmless in every output.

One place for the display-time rule of `accounts.text.neutralise_bidi`: each page, partial,
mail and PDF source rendered through a template has every U+202A–U+202E and U+2066–U+2069
character replaced by its visible code (`[U+202E]`), whatever its origin (typed before the
input check, imported, or a team name). Our own templates contain none of these characters.
"""

from django.template.backends.django import DjangoTemplates
from django.utils.safestring import SafeString, mark_safe

from accounts.text import neutralise_bidi


class NeutralisingTemplate:
    """A backend template whose rendered text has the direction controls neutralised."""

    def __init__(self, template):
        self.template = template

    def __getattr__(self, name):  # origin, template, backend: as Django's own
        return getattr(self.template, name)

    def render(self, context=None, request=None):
        rendered = self.template.render(context, request)
        shown = neutralise_bidi(rendered)
        # The replacement is plain ASCII, so HTML that was safe stays safe.
        return mark_safe(shown) if isinstance(rendered, SafeString) else shown  # noqa: S308


class DjangoTemplatesWithoutBidi(DjangoTemplates):
    def from_string(self, template_code):
        return NeutralisingTemplate(super().from_string(template_code))

    def get_template(self, template_name):
        return NeutralisingTemplate(super().get_template(template_name))
