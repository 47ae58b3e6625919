"""Signals outcomes sends so that apps built on it can add to its pages without outcomes
importing them (tests/test_import_direction.py)."""

from django.dispatch import Signal

#: Sent while an adult's "What you told us" summary is rendered (`rendering.summary_render`),
#: with `case` and `summary` (the SummaryDocument). A receiver returns a dict of extra template
#: context, or None. The feedback app returns the anonymous questionnaire's one-time code.
summary_rendering = Signal()
