"""The subject access export: everything the system holds about one adult, built from a small
registry of sections.

Each `Section` names its heading, its template (under templates/) and a function
`context(export, cases)` returning what the template shows; `cases` are the adult's cases in
the requesting lead's scope, oldest first. Another record type joins the export with one entry
in `SECTIONS`. A section that redacts records from the chronology lists the chronology event
kinds it replaces (`replaces_kinds`) and returns its own `chronology` lines (`ChronologyLine`),
which carry their redaction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from cases.access import case_scope
from cases.models import Case, CaseEvent

from .models import CaseContact, CaseDocument, contact_line

REDACTED = "Redacted: not to be disclosed to the adult."


@dataclass(frozen=True)
class Section:
    title: str
    template: str
    context: Callable
    replaces_kinds: tuple = ()
    chronology: Callable = None  # (export, cases) -> [ChronologyLine]


@dataclass
class ChronologyLine:
    at: object
    case_ref: str
    text: str
    redacted_reason: str = ""
    actor: object = field(default=None)


def _adult(export, cases):
    return {"person": export.person}


def _cases_and_records(export, cases):
    from outcomes.rendering import case_summary_context

    records = []
    for case in cases:
        context = case_summary_context(case_id=case.pk)
        context.pop("events")
        records.append(context)
    return {"records": records}


def _documents(export, cases):
    return {
        "documents": list(
            CaseDocument.objects.filter(case__in=cases).select_related("case").order_by("uploaded_at", "id")
        )
    }


def _contacts(export, cases):
    return {
        "contacts": list(
            CaseContact.objects.filter(case__in=cases)
            .select_related("case", "recorded_by")
            .order_by("occurred_on", "id")
        )
    }


def _each_case(export, cases):
    return {"cases": cases}


def _document_lines(export, cases):
    lines = []
    for d in _documents(export, cases)["documents"]:
        text = f"Document attached: {d.get_category_display()}" + (
            "." if d.withheld_from_adult else f" ({d.description})."
        )
        lines.append(
            ChronologyLine(d.uploaded_at, d.case.ref, text, d.withheld_reason if d.withheld_from_adult else "")
        )
    for c in _contacts(export, cases)["contacts"]:
        at = timezone.make_aware(timezone.datetime.combine(c.occurred_on, timezone.datetime.min.time()))
        text = (
            ("Case note." if c.is_note else "Contact, not with the adult.")
            if c.withheld_from_adult
            else contact_line(c)
        )
        lines.append(ChronologyLine(at, c.case.ref, text, c.withheld_reason if c.withheld_from_adult else ""))
    return lines


def _chronology(export, cases):
    replaced = [kind for section in SECTIONS for kind in section.replaces_kinds]
    events = CaseEvent.objects.filter(case__in=cases).exclude(kind__in=replaced).select_related("case", "actor")
    lines = [ChronologyLine(e.at, e.case.ref, e.summary, actor=e.actor) for e in events]
    for section in SECTIONS:
        if section.chronology:
            lines.extend(section.chronology(export, cases))
    lines.sort(key=lambda line: line.at)
    return {"lines": lines}


SECTIONS = [
    Section("The adult", "documents/subject_access/_adult.html", _adult),
    Section("Cases and records", "documents/subject_access/_cases.html", _cases_and_records),
    Section(
        "Documents",
        "documents/subject_access/_documents.html",
        _documents,
        # Each document, note and contact line is rebuilt from its record, redacted where it
        # is withheld; a change of disclosure is staff business and is left out.
        replaces_kinds=("documents:document", "documents:note", "documents:contact", "documents:disclosure"),
        chronology=_document_lines,
    ),
    Section("Notes and contacts", "documents/subject_access/_contacts.html", _contacts),
    # Caused enquiries, meetings and information sharing, per case (the partnership app's own
    # rendering, through its template tag: nothing here imports it).
    Section(
        "Working with partners", "documents/subject_access/_partnership.html", lambda export, cases: {"cases": cases}
    ),
    # People alleged to have caused harm: another data subject, so only the risk and the
    # relationship, redacted (the harm app's own rendering, through its template tag).
    Section("People alleged to have caused harm", "documents/subject_access/_harm.html", _each_case),
    Section("Chronology", "documents/subject_access/_chronology.html", _chronology),
]


def export_cases(export):
    """The adult's cases that the requesting lead may see (restricted ones only where named)."""
    return list(
        Case.objects.filter(case_scope(export.requested_by))
        .filter(person=export.person)
        .select_related("team")
        .order_by("received_at", "id")
    )


def render_html(export):
    """The export's HTML: every section of `SECTIONS` in order, each under its own heading."""
    cases = export_cases(export)
    parts = [
        {
            "title": s.title,
            "html": render_to_string(
                s.template, {**s.context(export, cases), "export": export, "cases": cases, "redacted": REDACTED}
            ),
        }
        for s in SECTIONS
    ]
    return render_to_string(
        "documents/subject_access/export_pdf.html",
        {"export": export, "person": export.person, "cases": cases, "sections": parts, "today": timezone.localdate()},
    )
