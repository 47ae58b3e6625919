"""feedback 0002 carries every closure review's feeling answers and words over to the
questionnaire before outcomes 0010 drops them: run forwards on historical models, with counts."""

import datetime
import itertools

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("outcomes", "0009_case_summary_and_easy_read"), ("feedback", "0001_questionnaire")]
OLD = ("yes", "partly", "no", "not_asked")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_every_closure_review_answer_is_carried_over_forwards():
    try:
        apps = _migrate(BEFORE)
        from accounts.models import Team  # accounts is not migrated back: its current model fits

        Person = apps.get_model("cases", "Person")
        Case = apps.get_model("cases", "Case")
        ClosureReview = apps.get_model("outcomes", "ClosureReview")
        team = Team.objects.create(name="Migration Team")
        expected = {}
        combos = itertools.cycle(itertools.product(OLD, repeat=3))
        for i in range(90):
            case = Case.objects.create(
                ref=f"FBM-{i:05d}",
                person=Person.objects.create(legal_name=f"Synthetic Person{i}"),
                team_id=team.pk,
                received_at=timezone.now() - datetime.timedelta(days=200),
                state="closed",
            )
            listened, safer, control = next(combos)
            words = f"Synthetic words {i}" if i % 3 else ""
            sent = timezone.make_aware(datetime.datetime(2025, 1 + i % 12, 15, 10)) if i % 2 else None
            ClosureReview.objects.create(
                case=case,
                felt_listened_to=listened,
                felt_safer=safer,
                felt_in_control=control,
                adult_comments=words,
                status="signed_off" if sent else "draft",
                sent_at=sent,
            )
            expected[case.pk] = ({"q3_listened": listened, "q5_safer": safer, "q4_in_control": control}, words, sent)
        assert ClosureReview.objects.count() == 90

        leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
        apps = _migrate(leaves)
        Response = apps.get_model("feedback", "FeedbackResponse")
        Item = apps.get_model("feedback", "FeedbackItem")
        assert not hasattr(apps.get_model("outcomes", "ClosureReview"), "felt_safer")
        assert Response.objects.count() == 90  # one response per closure review
        assert Item.objects.count() == 90 * 13  # every question: three carried over, ten not asked
        assert (
            Item.objects.exclude(question__in=["q3_listened", "q5_safer", "q4_in_control"])
            .exclude(answer="not_asked")
            .count()
            == 0
        )
        assert Response.objects.filter(route="at_closure", version="not_recorded", team_id=team.pk).count() == 90
        for response in Response.objects.all():
            answers, words, sent = expected[response.case_id]
            stored = dict(Item.objects.filter(response=response).values_list("question", "answer"))
            assert {q: stored[q] for q in answers} == answers and len(stored) == 13
            assert response.anything_else == words
            assert not response.share_consent and response.quote_status == "none"
            if sent:
                assert response.asked_on == sent.date()
                assert response.quarter_start == datetime.date(2025, 1 + 3 * ((sent.month - 1) // 3), 1)
        # Every old answer of every question is exercised.
        assert set(Item.objects.values_list("answer", flat=True)) == set(OLD)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
