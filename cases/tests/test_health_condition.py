"""SG1e: the adult's health condition (autism; Asperger's) beside the other SAC demographics, never defaulted."""

import re

from cases.models import Person
from cases.tests.factories import concern_form_data


def test_the_health_condition_is_asked_with_no_default_and_shown_on_the_case(world, login):
    client = login(world.practitioner)
    form = client.get("/cases/new/").content.decode()
    assert "Autism (excluding Asperger&#x27;s)" in form and "Neither, or not known" in form
    assert not re.search(r'name="person-health_condition"[^>]*checked', form)
    # Placed with the other SAC demographics, after the primary support reason.
    assert form.index("person-primary_support_reason") < form.index("person-health_condition")
    response = client.post("/cases/new/", concern_form_data(world.team_a, **{"person-health_condition": "asperger"}))
    assert response.status_code == 302
    assert Person.objects.get(legal_name="Margaret Synthetica Oakes").health_condition == "asperger"
    page = client.get(response["Location"]).content.decode()
    assert 'data-health-condition="asperger">Asperger&#x27;s / high-functioning autism' in page
