"""Command-line query expressions: parsed with ast into the same criteria the Python API builds."""

from __future__ import annotations

import pytest

from contacthub_like import Customer, InvalidValue, between_, in_, not_in_
from contacthub_like.migrate import WhereError, parse_where
from contacthub_like.query import EMPTY
from contacthub_like.services.contacthub.compiler import compile_where


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'base.lastName == "Wayne" and "vip" in tags.manual',
            (Customer.base.lastName == "Wayne") & in_("vip", Customer.tags.manual),
        ),
        ('base.firstName in ["Bruce", "Dick"]', in_(Customer.base.firstName, ["Bruce", "Dick"])),
        ('"x" not in tags.manual', not_in_("x", Customer.tags.manual)),
        ("base.contacts.email == None", Customer.base.contacts.email == None),  # noqa: E711
        ("base.contacts.email != None", Customer.base.contacts.email != None),  # noqa: E711
        ('"1980-01-01" <= base.dob', Customer.base.dob >= "1980-01-01"),
        ("extended.points > -5", Customer.extended.points > -5),
        ('extended["loyalty level"] == "gold"', Customer.extended["loyalty level"] == "gold"),
        (
            'between(base.dob, "1980-01-01", "1989-12-31") or not enabled == True',
            between_(Customer.base.dob, "1980-01-01", "1989-12-31") | ~(Customer.enabled == True),  # noqa: E712
        ),
        (
            '"1980-01-01" < base.dob < "1990-01-01"',
            (Customer.base.dob > "1980-01-01") & (Customer.base.dob < "1990-01-01"),
        ),
    ],
)
def test_expressions_become_the_same_criteria_as_the_python_api(text: str, expected: object) -> None:
    parsed = parse_where(text)
    assert parsed == expected
    assert compile_where(parsed) == compile_where(expected)


def test_empty_expression_selects_everything() -> None:
    assert parse_where("") is EMPTY
    assert parse_where("   ") is EMPTY
    assert parse_where(None) is EMPTY


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('base.lastName = "Wayne"', "cannot parse"),
        ("base.lastName == Wayne", "expected a literal"),
        ('__import__("os").system("true")', "the only function is between"),
        ('base.lastName.upper() == "X"', "attribute path on one side"),
        ('base.nickName == "Bat"', "no attribute 'nickName'"),
        ('base.firstName.initial == "B"', "single value"),
        ("shoeSize == 42", "no attribute 'shoeSize'"),
        ('"a" == "b"', "attribute path on one side"),
        ("base.dob > None", "None can only be compared"),
        ("base.dob is None", "== None"),
        ('base.firstName in "Bruce"', "list of values"),
        ("base.firstName == 1 + 2", "expected a literal"),
        ('base.lastName == "W" & tags.manual', "expected"),
    ],
)
def test_bad_expressions_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(WhereError, match=message) as info:
        parse_where(text)
    assert isinstance(info.value, InvalidValue)
    assert "e.g." in str(info.value)  # and how to write it instead
