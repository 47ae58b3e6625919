"""Writes on a concern's risks: record them with the concern, add or correct them (with history)
during the enquiry, and record each one's assessment outcome and result at closure.

A risk is passed as a dict: {"types": [abuse type codes], "location": code, "source": code,
"provider": a partner organisation's id or None}, plus "id" for a saved risk being changed.
Every service re-checks its rules, writes its audit entry (field names, never values) and its
chronology line.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit

from . import workflow
from .access import can_edit_case
from .codes import RISK_IDENTIFIED, AbuseType, LocationOfRisk, RiskAssessment, RiskResult, SourceOfRisk
from .models import CaseState, Risk, RiskRevision, RiskType

ALLEGATION_FIELDS = ("types", "location", "source", "provider")
MAX_RISKS = 20

CONFLICT = "Someone else corrected this risk while you were changing it. Check its history below, then save again."
CEASED_MEANS_ALL = (
    "The enquiry ceased at the individual's request, so every one of its risks is ceased: "
    "no other outcome can be recorded for one of them."
)


def clean_risk(data, *, number=1):
    """The allegation of one risk as stored: types sorted and unique; ValidationError if incomplete."""
    types = sorted(set(data.get("types") or []))
    problems = []
    if not types:
        problems.append(f"Risk {number}: choose at least one type of abuse or neglect.")
    elif any(code not in AbuseType.values for code in types):
        problems.append(f"Risk {number}: an abuse type is not one of the SAC's types.")
    if data.get("location") not in LocationOfRisk.values:
        problems.append(f"Risk {number}: choose where it happened.")
    if data.get("source") not in SourceOfRisk.values:
        problems.append(f"Risk {number}: choose who may be causing the harm.")
    provider = _provider_id(data.get("provider"))
    if provider and data.get("source") != SourceOfRisk.SERVICE_PROVIDER:
        problems.append(f"Risk {number}: {PROVIDER_ONLY_FOR_PROVIDERS}")
    elif provider == INVALID or (provider and not _is_provider(provider)):
        problems.append(f"Risk {number}: the service provider is not one of the partner organisations.")
    if problems:
        raise ValidationError(problems)
    return {"types": types, "location": data["location"], "source": data["source"], "provider": provider}


INVALID = -1
PROVIDER_ONLY_FOR_PROVIDERS = "name a service provider only when the harm may be caused by a service provider."


def _provider_id(value):
    """A posted provider (an id, a model instance, or empty) as an id, None, or INVALID."""
    if value in (None, ""):
        return None
    try:
        return int(getattr(value, "pk", value))
    except (TypeError, ValueError):
        return INVALID


def _is_provider(pk):
    return apps.get_model("partnership", "PartnerOrganisation").objects.filter(pk=pk).exists()


def clean_risks(risks):
    """Every risk cleaned; at least one, at most `MAX_RISKS`."""
    risks = list(risks or [])
    if not risks:
        raise ValidationError("Record at least one risk: what happened, where, and who may be causing the harm.")
    if len(risks) > MAX_RISKS:
        raise ValidationError(f"A concern can have at most {MAX_RISKS} risks.")
    cleaned, problems = [], []
    for number, data in enumerate(risks, start=1):
        try:
            cleaned.append({**clean_risk(data, number=number), "id": data.get("id")})
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    return cleaned


def allegation(risk):
    """The stored allegation of `risk` in the same shape as a cleaned risk dict."""
    return {"types": risk.type_codes(), "location": risk.location, "source": risk.source, "provider": risk.provider_id}


def _create(case, data):
    risk = Risk.objects.create(
        case=case, location=data["location"], source=data["source"], provider_id=data.get("provider")
    )
    RiskType.objects.bulk_create([RiskType(risk=risk, abuse_type=code) for code in data["types"]])
    return risk


def _revise(risk, data, *, actor, reason):
    """Change a saved risk's allegation to `data`, keeping every version; the changed fields."""
    before = allegation(risk)
    changed = [name for name in ALLEGATION_FIELDS if before[name] != data[name]]
    if not changed:
        return []
    if not risk.revisions.exists():
        RiskRevision.objects.create(
            risk=risk, case_id=risk.case_id, version=risk.version, data=before, changed_at=risk.created_at
        )
    risk.location, risk.source, risk.provider_id = data["location"], data["source"], data["provider"]
    risk.version += 1
    risk.save(update_fields=["location", "source", "provider", "version", "updated_at"])
    risk.types.exclude(abuse_type__in=data["types"]).delete()
    have = set(risk.types.values_list("abuse_type", flat=True))
    RiskType.objects.bulk_create([RiskType(risk=risk, abuse_type=c) for c in data["types"] if c not in have])
    RiskRevision.objects.create(
        risk=risk,
        case_id=risk.case_id,
        version=risk.version,
        data=data,
        change_reason=reason,
        changed_by=actor,
    )
    return changed


def record_risks(*, case, risks):
    """The risks of a concern being recorded (called inside `services.record_concern`)."""
    return [_create(case, data) for data in clean_risks(risks)]


def replace_risks(*, case, risks, actor):
    """The concern form's risks before an enquiry opens: saved risks (by "id") are changed with
    their history kept, new ones added, and the ones left out removed. Returns whether any
    risk changed. Once an enquiry is open, risks are added or corrected one by one instead."""
    if case.state not in (CaseState.CONCERN, CaseState.DECISION_PENDING):
        raise ValidationError("Once the enquiry is open, add or correct risks one at a time from the case page.")
    cleaned = clean_risks(risks)
    saved = {risk.pk: risk for risk in Risk.objects.filter(case=case).prefetch_related("types")}
    kept = {int(data["id"]) for data in cleaned if data.get("id")}
    if kept - set(saved):
        raise ValidationError("A risk on this form is not one of this concern's risks.")
    changed = False
    for pk in set(saved) - kept:
        saved[pk].delete()
        changed = True
    for data in cleaned:
        if data.get("id"):
            changed |= bool(
                _revise(saved[int(data["id"])], data, actor=actor, reason="Changed with the concern details.")
            )
        else:
            _create(case, data)
            changed = True
    return changed


def risk_refusal(*, user, case):
    """Why `user` may not add or correct a risk of the in-scope `case` ("" when they may)."""
    if case.state in (CaseState.CONCERN, CaseState.DECISION_PENDING):
        return "Before the enquiry opens, change the risks with the concern details."
    if case.state != CaseState.ENQUIRY_OPEN:
        return "Risks can be added or corrected while the enquiry is open. This enquiry is not open."
    if not can_edit_case(user, case):
        return "This case was imported from the old system, so only a safeguarding lead can change it."
    return ""


def _check(actor, case):
    refusal = risk_refusal(user=actor, case=case)
    if refusal:
        raise PermissionDenied(refusal)


@transaction.atomic
def risk_add(*, actor, case, risk):
    """Add a risk found during the enquiry."""
    _check(actor, case)
    if Risk.objects.filter(case=case).count() >= MAX_RISKS:
        raise ValidationError(f"A concern can have at most {MAX_RISKS} risks.")
    created = _create(case, clean_risk(risk))
    number = Risk.objects.filter(case=case, pk__lte=created.pk).count()
    workflow.log_event(case=case, actor=actor, kind="risk_added", summary=f"Risk {number} added during the enquiry.")
    audit.record(
        actor=actor, action=audit.AuditAction.CREATE, obj=created, case_id=case.pk, fields=list(ALLEGATION_FIELDS)
    )
    return created


@transaction.atomic
def risk_correct(*, actor, risk, expected_version, risk_data, change_reason):
    """Correct a risk's allegation during the enquiry: the earlier version stays in its history.

    Refused with a "conflict" if someone corrected it since `expected_version` was read."""
    current = Risk.objects.select_for_update().select_related("case").get(pk=risk.pk)
    _check(actor, current.case)
    if current.version != expected_version:
        raise ValidationError(CONFLICT, code="conflict")
    if not (change_reason or "").strip():
        raise ValidationError("Say why the risk is being corrected.")
    changed = _revise(current, clean_risk(risk_data), actor=actor, reason=change_reason.strip())
    if changed:
        number = Risk.objects.filter(case_id=current.case_id, pk__lte=current.pk).count()
        workflow.log_correction(
            case=current.case,
            actor=actor,
            record=current,
            kind="risk_corrected",
            summary=f"Risk {number} corrected",
            fields=changed,
        )
    return current


def clean_outcomes(*, risks, ceased, outcomes):
    """The assessment and result of every risk at closure: {risk id: (assessment, result)}.

    `ceased` (the enquiry ceased at the individual's request) makes every risk ceased with no
    result. Otherwise each risk needs one of the six other outcomes, and a result exactly where
    a risk was identified. ValidationError lists every problem, naming the risk."""
    if ceased:
        return {risk.pk: (RiskAssessment.CEASED, "") for risk in risks}
    problems, cleaned = [], {}
    for number, risk in enumerate(risks, start=1):
        assessment, result = outcomes.get(risk.pk, ("", ""))
        if assessment == RiskAssessment.CEASED:
            problems.append(f"Risk {number}: {CEASED_MEANS_ALL}")
        elif assessment not in RiskAssessment.values:
            problems.append(f"Risk {number}: choose the risk assessment outcome.")
        elif assessment in RISK_IDENTIFIED and result not in RiskResult.values:
            problems.append(f"Risk {number}: say whether the risk remained, was reduced or was removed.")
        elif assessment not in RISK_IDENTIFIED and result:
            problems.append(f"Risk {number}: a result is recorded only where a risk was identified.")
        cleaned[risk.pk] = (assessment, result)
    if problems:
        raise ValidationError(problems)
    return cleaned


def set_outcomes(*, actor, case, ceased, outcomes):
    """Store each risk's closure answers (inside the closure review's save); the risks changed."""
    risks = list(Risk.objects.select_for_update().filter(case=case).order_by("id"))
    cleaned = clean_outcomes(risks=risks, ceased=ceased, outcomes=outcomes)
    changed = []
    now = timezone.now()
    for risk in risks:
        assessment, result = cleaned[risk.pk]
        if (risk.assessment, risk.result) != (assessment, result):
            Risk.objects.filter(pk=risk.pk).update(assessment=assessment, result=result, updated_at=now)
            changed.append(risk)
    for risk in changed:
        audit.record(
            actor=actor, action=audit.AuditAction.UPDATE, obj=risk, case_id=case.pk, fields=["assessment", "result"]
        )
    return changed


def outcome_problems(case):
    """What about the risks stops the enquiry being sent for closure."""
    risks = list(Risk.objects.filter(case=case).order_by("id").values_list("assessment", "result"))
    problems = []
    if not risks:
        problems.append("Record at least one risk.")
    missing = sum(1 for assessment, _ in risks if not assessment)
    if missing:
        problems.append(f"Record the risk assessment outcome of every risk ({missing} not yet recorded).")
    if any(a in RISK_IDENTIFIED and not r for a, r in risks):
        problems.append("Record what became of every risk that was identified.")
    ceased = [a == RiskAssessment.CEASED for a, _ in risks if a]
    if any(ceased) and not all(ceased):
        problems.append(CEASED_MEANS_ALL)
    return problems
