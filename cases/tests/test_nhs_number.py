import pytest
from django.core.exceptions import ValidationError

from cases.forms import PersonForm
from cases.validators import nhs_number_is_valid, validate_nhs_number


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "4010232137", "0000000000"])
def test_numbers_with_a_correct_check_digit_are_valid(number):
    assert nhs_number_is_valid(number)


@pytest.mark.parametrize(
    "number",
    [
        "9434765918",  # wrong check digit
        "943476591",  # nine digits
        "94347659190",  # eleven digits
        "94347G5919",  # a letter
        "1000000010",  # remainder gives check value 10: never issued
    ],
)
def test_numbers_with_a_wrong_check_digit_or_shape_are_refused(number):
    assert not nhs_number_is_valid(number)
    with pytest.raises(ValidationError):
        validate_nhs_number(number)


def test_a_blank_nhs_number_is_allowed():
    validate_nhs_number("")


def _person_form(nhs):
    return PersonForm(
        {
            "legal_name": "Testy Synthetic",
            "gender": "unknown",
            "ethnicity": "unknown",
            "primary_support_reason": "unknown",
            "nhs_number": nhs,
        }
    )


@pytest.mark.django_db
def test_the_person_form_accepts_spaced_digits_and_stores_them_plain():
    form = _person_form("943 476 5919")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nhs_number"] == "9434765919"


@pytest.mark.django_db
def test_the_person_form_explains_a_bad_check_digit():
    form = _person_form("943 476 5918")
    assert not form.is_valid()
    assert form.errors["nhs_number"] == [
        "Enter a valid 10-digit NHS number (its last digit is a check digit), or leave it blank."
    ]
