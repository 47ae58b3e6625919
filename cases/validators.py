from django.core.exceptions import ValidationError


def nhs_number_is_valid(value):
    """The NHS number modulus-11 check: weights 10..2 over the first nine digits."""
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def validate_nhs_number(value):
    if value and not nhs_number_is_valid(value):
        raise ValidationError(
            "Enter a valid 10-digit NHS number (its last digit is a check digit), or leave it blank.",
            code="invalid_nhs_number",
        )
