"""Who may use each MSP URL (walked by accounts/tests/test_url_access.py)."""

from accounts.tests.url_policy import CASE_WORKER_ACTORS, Rule, case_managers, case_workers, role_page


def _case(w):
    return {"pk": w.case.pk}


def _desired(w):
    from .factories import DesiredOutcomeFactory

    return {"pk": DesiredOutcomeFactory(case=w.case).pk}


def _declined(w):
    from .factories import DeclinedSupportFactory

    return {"pk": DeclinedSupportFactory(case=w.case).pk}


def _plan_action(w):
    from .factories import PlanActionFactory

    return {"pk": PlanActionFactory(case=w.case).pk}


def _authored(factory_name):
    """A record of team A's case recorded by the practitioner: its author and managers may correct it."""

    def kwargs(w):
        from . import factories

        return {"pk": getattr(factories, factory_name)(case=w.case, recorded_by=w.practitioner).pk}

    return kwargs


#: Correcting a record: its author (the practitioner) and managers; a team colleague is refused.
CORRECTORS = case_workers(colleague=403)


def _summary(w):
    from .factories import SummaryDocumentFactory

    return {"pk": SummaryDocumentFactory(case=w.case).pk}


def _case_summary(w):
    from django.core.files.base import ContentFile

    from outcomes.models import CaseSummaryDocument

    document = CaseSummaryDocument.objects.create(
        case=w.case, requested_by=w.practitioner, status="done", file=ContentFile(b"%PDF-1.7 synthetic", name="c.pdf")
    )
    return {"pk": document.pk}


def _closure_pending(w):
    from cases.models import CaseState

    from .factories import ClosureReviewFactory

    w.case.state = CaseState.CLOSURE_PENDING
    w.case.save(update_fields=["state"])
    ClosureReviewFactory(case=w.case, status="sent", sent_by=w.practitioner)
    return {"pk": w.case.pk}


ACCESS = {
    "outcomes:enquiry": Rule(case_workers(), kwargs=_case),
    "outcomes:conversation_add": Rule(case_workers(), kwargs=_case),
    "outcomes:desired_outcome_add": Rule(case_workers(), kwargs=_case),
    "outcomes:desired_outcome_edit": Rule(case_workers(), kwargs=_desired),
    "outcomes:negotiated_outcome_edit": Rule(case_workers(), kwargs=_desired),
    "outcomes:capacity_add": Rule(case_workers(), kwargs=_case),
    "outcomes:advocacy_add": Rule(case_workers(), kwargs=_case),
    "outcomes:declined_add": Rule(case_workers(), kwargs=_case),
    "outcomes:followup_done": Rule(case_workers(302), kwargs=_declined, method="post"),
    "outcomes:plan_action_add": Rule(case_workers(), kwargs=_case),
    "outcomes:plan_action_status": Rule(
        case_workers(302), kwargs=_plan_action, method="post", data=lambda w: {"status": "done"}
    ),
    "outcomes:conversation_correct": Rule(CORRECTORS, kwargs=_authored("ConversationFactory")),
    "outcomes:capacity_correct": Rule(CORRECTORS, kwargs=_authored("CapacityAssessmentFactory")),
    "outcomes:advocacy_correct": Rule(CORRECTORS, kwargs=_authored("AdvocacyFactory")),
    "outcomes:declined_correct": Rule(CORRECTORS, kwargs=_authored("DeclinedSupportFactory")),
    "outcomes:plan_action_correct": Rule(CORRECTORS, kwargs=_authored("PlanActionFactory")),
    "outcomes:principles": Rule(case_workers(), kwargs=_case),
    "outcomes:closure_review": Rule(case_workers(), kwargs=_case),
    # Without six-principle evidence the send is refused with a message: a redirect back.
    "outcomes:send_for_closure": Rule(case_workers(302), kwargs=_case, method="post"),
    "outcomes:closure_sign_off": Rule(case_managers(), kwargs=_closure_pending),
    "outcomes:summary_request": Rule(case_workers(302), kwargs=_case, method="post"),
    "outcomes:summary_download": Rule(case_workers(), kwargs=_summary),
    # The staff case summary: anyone who may see the case (any stage); SAB members and
    # system administrators never; other teams get 404.
    "outcomes:case_summary_request": Rule(case_workers(302), kwargs=_case, method="post"),
    "outcomes:case_summary_download": Rule(case_workers(), kwargs=_case_summary),
    "outcomes:my_followups": Rule(role_page(302, CASE_WORKER_ACTORS)),
}
