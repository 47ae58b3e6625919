"""Practice quality is for managers and leads only; a manager sees only their own teams."""

import datetime

import pytest
from django.urls import reverse

from outcomes.models import PracticeAudit
from quality import services

from .data import make_closed_enquiries

START, END = datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)


@pytest.fixture
def audit_a(world):
    make_closed_enquiries(world.team_a, 5, start=START, end=END, seed=9, imported_share=0)
    return services.create_practice_audit(actor=world.manager, team=world.team_a, start=START, end=END, size=3)


@pytest.mark.parametrize("actor", ["practitioner", "colleague", "outsider", "sab_member", "sysadmin"])
def test_other_roles_reach_nothing_and_change_nothing(world, audit_a, login, actor):
    client = login(world.user(actor))
    row = audit_a.audit_cases.first()
    gets = [
        reverse("quality:index"),
        reverse("quality:audit_list"),
        reverse("quality:audit_create"),
        reverse("quality:audit_detail", args=[audit_a.pk]),
        reverse("quality:audit_rate", args=[row.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 403, url
    posted = {"team": world.team_a.pk, "period_start": "2025-04-01", "period_end": "2026-03-31", "sample_size": "2"}
    assert client.post(reverse("quality:audit_create"), posted).status_code == 403
    assert client.post(reverse("quality:audit_rate", args=[row.pk]), {}).status_code == 403
    assert PracticeAudit.objects.count() == 1


def test_the_nav_shows_practice_quality_to_managers_and_leads_only(world, login):
    for actor, shown in [("manager", True), ("lead", True), ("practitioner", False), ("sab_member", False)]:
        client = login(world.user(actor))
        html = client.get(reverse("accounts:home"), follow=True).content.decode()
        assert (f'href="{reverse("quality:index")}"' in html) is shown, actor


def test_manager_b_sees_neither_team_a_figures_nor_its_audits(world, audit_a, login):
    client = login(world.manager_b)
    page = client.get(reverse("quality:index"), {"date_from": "2025-04-01", "date_to": "2026-03-31"})
    assert page.context["counts"]["closed"] == 0
    assert [t.pk for t in page.context["form"].fields["team"].queryset] == [world.team_b.pk]
    assert client.get(reverse("quality:audit_detail", args=[audit_a.pk])).status_code == 404
    assert list(client.get(reverse("quality:audit_list")).context["page"]) == []
    lead = login(world.lead)
    assert (
        lead.get(reverse("quality:index"), {"date_from": "2025-04-01", "date_to": "2026-03-31"}).context["counts"][
            "closed"
        ]
        == 5
    )
    assert lead.get(reverse("quality:audit_detail", args=[audit_a.pk])).status_code == 200
