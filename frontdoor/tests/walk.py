"""What a (synthetic) member of the public and a professional type into the public form, page by
page, and a helper that walks the test client through it."""

from django.urls import reverse

PUBLIC = {
    "danger": {"immediate_danger": "no"},
    "who": {"reporter": "public"},
    "about-you": {"referrer_name": "Neighbour Synthetic", "referrer_relationship": "Neighbour",
                  "referrer_email": "neighbour.synthetic@example.com"},
    "consent": {"adult_knows": "no", "adult_not_agreed_reason": "I have not seen her alone."},
    "adult": {"adult_name": "Edna Synthetica", "adult_preferred_name": "Eddie", "adult_approximate_age": "85",
              "adult_address": "1 Synthetic Row"},
    "what-happened": {"what_happened": "Shouting heard nightly and Eddie looks frightened.",
                      "where_happened": "own_home"},
    "harm": {"harm_source": "known", "harm_details": "Her nephew, who moved in.", "others_at_risk": ["none"]},
}  # fmt: skip

PROFESSIONAL = {
    "danger": {"immediate_danger": "no"},
    "who": {"reporter": "professional"},
    "about-you": {"referrer_type": "health", "referrer_organisation": "Synthetic Surgery", "referrer_role": "GP",
                  "referrer_name": "Dr Syn Thetic", "referrer_email": "gp.synthetic@example.org"},
    "consent": {"adult_knows": "yes", "adult_agrees": "yes"},
    "adult": {"adult_name": "Walter Synthetico", "adult_date_of_birth": "1938-04-11",
              "adult_nhs_number": "943 476 5919", "adult_communication_needs": "Uses a hearing aid."},
    "what-happened": {"what_happened": "Unexplained bruising on both arms at the surgery.",
                      "where_happened": "care_home_residential", "where_details": "Synthetic Lodge"},
    "harm": {"harm_source": "service_provider", "others_at_risk": ["adults"]},
}  # fmt: skip


def fill_in(client, answers, **headers):
    """Post every page of the form in order; return the responses (each a redirect onwards)."""
    responses = []
    for slug, data in answers.items():
        response = client.post(reverse("report:step", args=[slug]), data, **headers)
        assert response.status_code == 302, (slug, response.content.decode()[:2000])
        responses.append(response)
    return responses


def submit(client, answers, **headers):
    """Walk the whole form and send it; return the final response."""
    responses = fill_in(client, answers, **headers)
    assert responses[-1]["Location"] == reverse("report:check")
    return client.post(reverse("report:check"), **headers)
