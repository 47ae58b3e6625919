import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from cases.codes import RiskAssessment, RiskResult
from cases.tests.factories import CaseFactory
from outcomes.models import (
    Advocacy,
    AdvocacyKind,
    CapacityAssessment,
    CapacityOutcome,
    ClosureReview,
    Conversation,
    ConversationMode,
    DeclinedSupport,
    DesiredOutcome,
    DesiredOutcomeRevision,
    ExpressedBy,
    NegotiatedOutcome,
    NegotiationReason,
    OutcomeReview,
    PlanAction,
    PrincipleCheck,
    SummaryDocument,
    SummaryStatus,
)


def _days_ago(n):
    return lambda: timezone.localdate() - datetime.timedelta(days=n)


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    case = factory.SubFactory(CaseFactory)
    held_on = factory.LazyFunction(_days_ago(1))
    mode = ConversationMode.FACE_TO_FACE
    spoken_to_alone = True
    what_matters = "I want to feel safe in my own flat."


class DesiredOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DesiredOutcome
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    words = factory.Sequence(lambda n: f"I want to manage my own money again ({n}).")
    expressed_by = ExpressedBy.ADULT
    expressed_on = factory.LazyFunction(_days_ago(1))

    @factory.post_generation
    def first_revision(self, create, extracted, **kwargs):
        if create:
            DesiredOutcomeRevision.objects.create(
                outcome=self,
                version=1,
                words=self.words,
                expressed_by=self.expressed_by,
                expressed_on=self.expressed_on,
            )


class NegotiatedOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NegotiatedOutcome

    desired_outcome = factory.SubFactory(DesiredOutcomeFactory)
    case = factory.SelfAttribute("desired_outcome.case")
    words = "Your nephew will not hold your bank card; a bank adviser will help instead."
    reason = NegotiationReason.PUBLIC_INTEREST
    explained_to_adult = True
    explained_on = factory.LazyFunction(_days_ago(0))


class CapacityAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapacityAssessment

    case = factory.SubFactory(CaseFactory)
    decision = "Whether to take part in the enquiry."
    outcome = CapacityOutcome.HAS_CAPACITY
    assessed_on = factory.LazyFunction(_days_ago(1))
    assessor = "Synthetic Assessor, social worker"


class AdvocacyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Advocacy

    case = factory.SubFactory(CaseFactory)
    kind = AdvocacyKind.INDEPENDENT
    from_date = factory.LazyFunction(_days_ago(1))


class DeclinedSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeclinedSupport

    case = factory.SubFactory(CaseFactory)
    declined_on = factory.LazyFunction(_days_ago(10))
    what_was_declined = "A referral to a domestic abuse service."
    what_was_explained = "What the service offers and that she can change her mind."
    follow_up_on = factory.LazyFunction(_days_ago(1))


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction

    case = factory.SubFactory(CaseFactory)
    action = "Bank to add a safeguarding marker."
    responsible = "Synthetic Bank safeguarding team"
    due_on = factory.LazyFunction(_days_ago(-7))


class PrincipleCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrincipleCheck

    case = factory.SubFactory(CaseFactory)
    principle = "empowerment"
    evidence = "Evidence in the record."
    evidenced_at = factory.LazyFunction(timezone.now)


class ClosureReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosureReview
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)

    @factory.post_generation
    def risks(self, create, extracted, **kwargs):
        """The case's risks' closure answers, in order: `risks=[(assessment, result), ...]`; by
        default every risk without one is identified, action taken, and reduced."""
        if not create:
            return
        answers = iter(extracted or [])
        for risk in self.case.risks.order_by("id"):
            assessment, result = next(answers, (None, None))
            if assessment is None:
                if risk.assessment:
                    continue
                assessment, result = RiskAssessment.IDENTIFIED_ACTION, RiskResult.REDUCED
            risk.assessment, risk.result = assessment, result
            risk.save(update_fields=["assessment", "result"])


class OutcomeReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeReview

    desired_outcome = factory.SubFactory(DesiredOutcomeFactory)
    case = factory.SelfAttribute("desired_outcome.case")
    practitioner_view = "fully"


class SummaryDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SummaryDocument

    case = factory.SubFactory(CaseFactory)
    status = SummaryStatus.DONE
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.7 synthetic", name="summary.pdf"))
