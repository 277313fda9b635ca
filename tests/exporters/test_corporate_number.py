import pytest
from django.core.exceptions import ValidationError

from exporters.validators import normalise_corporate_number, validate_corporate_number


@pytest.mark.parametrize("number", ["7000012050002", "4010001234567", "７０００ー０１２０５０００２"
                                    .replace("ー", ""), "7000-0120-50002"])
def test_valid_corporate_numbers_pass(number):
    validate_corporate_number(number)


@pytest.mark.parametrize("number, code", [
    ("1000012050002", "corporate_number_check_digit"),
    ("700001205000", "corporate_number_length"),
    ("70000120500021", "corporate_number_length"),
    ("70000A2050002", "corporate_number_not_digits"),
    ("", "corporate_number_not_digits"),
    ("٧٠٠٠٠١٢٠٥٠٠٠٢", "corporate_number_not_digits"),
])
def test_invalid_corporate_numbers_are_refused_with_a_clear_code(number, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_corporate_number(number)
    assert excinfo.value.code == code


def test_full_width_digits_are_normalised():
    assert normalise_corporate_number("７００００１２０５０００２") == "7000012050002"


@pytest.mark.parametrize("typed", [
    "７０００ー０１２０ー５０００２",  # the long-vowel mark an input method gives for "-"
    "7000‐0120‐50002",  # U+2010 hyphen
    "7000−0120−50002",  # U+2212 minus
    "7000－0120－50002",  # full-width hyphen-minus
    "7000—0120—50002",  # em dash
    "7000 0120　50002",  # spaces, half and full width
])
def test_the_dashes_and_spaces_people_type_are_dropped(typed):
    assert normalise_corporate_number(typed) == "7000012050002"
    validate_corporate_number(typed)
