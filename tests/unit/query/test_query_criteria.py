"""Criteria trees and their compilation to the hub's query JSON (no HTTP)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
from decimal import Decimal

import pytest
from query_fakes import FakeEntity as C
from query_fakes import OtherEntity

from contacthub_like import wire
from contacthub_like.errors import InvalidType, InvalidValue
from contacthub_like.query import (
    EMPTY,
    Composite,
    Condition,
    Criterion,
    Not,
    Path,
    SortKey,
    all_of,
    any_of,
    between_,
    in_,
    not_in_,
)
from contacthub_like.services.contacthub.compiler import compile_condition, compile_query

UTC = dt.timezone.utc


def cond(criterion: Criterion) -> dict:
    compiled = compile_condition(criterion)
    assert compiled is not None
    return compiled


def atomic(attribute: str, operator: str, *value: object) -> dict:
    out: dict = {"type": "atomic", "attribute": attribute, "operator": operator}
    if value:
        (out["value"],) = value
    return out


# ---------------------------------------------------------------------------------------- documented usage
def test_documented_and_query_serialises_exactly_like_the_original_sdk() -> None:
    crit = (C.base.firstName == "Bruce") & (C.base.lastName == "Wayne")
    assert wire.dumps(compile_query(crit)) == (
        '{"name": "query", "query": {"type": "simple", "name": "query", "are": {"condition": '
        '{"type": "composite", "conditions": ['
        '{"type": "atomic", "attribute": "base.firstName", "operator": "EQUALS", "value": "Bruce"}, '
        '{"type": "atomic", "attribute": "base.lastName", "operator": "EQUALS", "value": "Wayne"}], '
        '"conjunction": "and"}}}}'
    )


def test_single_condition_is_the_condition_itself() -> None:
    assert compile_query(C.base.firstName == "Bruce") == {
        "name": "query",
        "query": {
            "type": "simple",
            "name": "query",
            "are": {"condition": atomic("base.firstName", "EQUALS", "Bruce")},
        },
    }


def test_key_order_of_every_object() -> None:
    compiled = compile_query((C.base.firstName == "a") | (C.base.lastName == None))  # noqa: E711
    assert compiled is not None
    assert list(compiled) == ["name", "query"]
    assert list(compiled["query"]) == ["type", "name", "are"]
    composite = compiled["query"]["are"]["condition"]
    assert list(composite) == ["type", "conditions", "conjunction"]
    assert list(composite["conditions"][0]) == ["type", "attribute", "operator", "value"]
    assert list(composite["conditions"][1]) == ["type", "attribute", "operator"]


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda: C.base.firstName == "Bruce", atomic("base.firstName", "EQUALS", "Bruce")),
        (lambda: C.base.firstName != "Bruce", atomic("base.firstName", "NOT_EQUALS", "Bruce")),
        (lambda: C.extra > 3, atomic("extra", "GT", 3)),
        (lambda: C.extra >= 3, atomic("extra", "GTE", 3)),
        (lambda: C.extra < 3, atomic("extra", "LT", 3)),
        (lambda: C.extra <= 3, atomic("extra", "LTE", 3)),
        (lambda: 3 < C.extra, atomic("extra", "GT", 3)),  # reflected comparison
        (lambda: C.base.firstName == None, atomic("base.firstName", "IS_NULL")),  # noqa: E711
        (lambda: C.base.firstName != None, atomic("base.firstName", "IS_NOT_NULL")),  # noqa: E711
        (lambda: in_("manual_tag", C.tags.manual), atomic("tags.manual", "IN", "manual_tag")),
        (lambda: not_in_("manual_tag", C.tags.manual), atomic("tags.manual", "NOT_IN", "manual_tag")),
        (lambda: in_(C.base.firstName, ["Bruce", "Dick"]), atomic("base.firstName", "IN", ["Bruce", "Dick"])),
        (lambda: not_in_(C.base.firstName, ("Bruce",)), atomic("base.firstName", "NOT_IN", ["Bruce"])),
        (lambda: in_(C.extra, {3, 1, 2}), atomic("extra", "IN", [1, 2, 3])),  # sets: deterministic order
    ],
)
def test_operators(build, expected) -> None:
    assert cond(build()) == expected


def test_dotted_paths_and_free_form_sections() -> None:
    assert cond(C.base.contacts.email == "x@y.z")["attribute"] == "base.contacts.email"
    assert cond(C.extended.loyalty.level == 2)["attribute"] == "extended.loyalty.level"
    assert cond(C.extended["odd key"] == 1)["attribute"] == "extended.odd key"
    assert cond(C.extended["desc"] == 1)["attribute"] == "extended.desc"  # names that clash with methods
    assert cond(C.base.notInTheSchemaYet == 1)["attribute"] == "base.notInTheSchemaYet"


@pytest.mark.parametrize("value", [0, False, "", 0.0, [], {}])
def test_falsy_values_are_kept(value) -> None:
    assert cond(C.extra == value)["value"] == value
    assert cond(C.extra != value)["value"] == value


def test_value_encoding() -> None:
    assert cond(C.extra == Decimal("1.50"))["value"] == "1.50"
    assert cond(C.registeredAt < dt.datetime(2010, 6, 10))["value"] == "2010-06-10T00:00:00Z"
    aware = dt.datetime(2010, 6, 10, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert cond(C.registeredAt < aware)["value"] == "2010-06-10T08:00:00Z"
    assert cond(C.extra == dt.date(2020, 2, 29))["value"] == "2020-02-29"
    # the field decides: a date attribute compared with a datetime sends the date
    assert cond(C.base.dob > dt.datetime(1994, 6, 10))["value"] == "1994-06-10"


def test_between_with_datetimes_strings_and_a_date_field() -> None:
    assert cond(between_(C.registeredAt, dt.datetime(2011, 12, 11), dt.datetime(2015, 12, 11))) == atomic(
        "registeredAt", "BETWEEN", ["2011-12-11T00:00:00Z", "2015-12-11T00:00:00Z"]
    )
    assert cond(between_(C.registeredAt, "2011-12-11", "2015-12-11"))["value"] == ["2011-12-11", "2015-12-11"]
    assert cond(between_(C.base.dob, dt.datetime(1950, 1, 1), dt.datetime(1994, 1, 1)))["value"] == [
        "1950-01-01",
        "1994-01-01",
    ]
    assert cond(between_(C.extra, 0, 10))["value"] == [0, 10]


def test_field_validation_errors_surface_when_the_condition_is_written() -> None:
    with pytest.raises(InvalidValue):
        C.base.dob == 12  # noqa: B015
    with pytest.raises(TypeError, match="cannot send"):
        C.extended.x == object()  # noqa: B015


# ------------------------------------------------------------------------------------------ algebra
def test_same_connector_children_are_flattened() -> None:
    a, b, c, d = (C.extra == 1), (C.extra == 2), (C.extra == 3), (C.extra == 4)
    assert cond(a & b & c)["conditions"] == [cond(a), cond(b), cond(c)]
    assert cond((a & b) & (c & d))["conditions"] == [cond(x) for x in (a, b, c, d)]
    assert cond(a | (b | c))["conditions"] == [cond(a), cond(b), cond(c)]
    mixed = cond((a | b) & c)
    assert mixed["conjunction"] == "and"
    assert mixed["conditions"][0] == {
        "type": "composite",
        "conditions": [cond(a), cond(b)],
        "conjunction": "or",
    }
    assert isinstance(a & b & c, Composite) and len((a & b & c).children) == 3


def test_empty_is_the_identity_of_and_and_or() -> None:
    a = C.extra == 1
    assert (EMPTY & a) is a and (a & EMPTY) is a
    assert (EMPTY | a) is a and (a | EMPTY) is a
    assert ~EMPTY is EMPTY
    assert all_of() is EMPTY and any_of() is EMPTY
    assert all_of(a) is a
    assert compile_query(EMPTY) is None and compile_condition(EMPTY) is None
    crit = EMPTY
    for n in range(3):
        crit |= C.extra == n
    assert cond(crit)["conjunction"] == "or" and len(cond(crit)["conditions"]) == 3


@pytest.mark.parametrize(
    ("build", "inverted"),
    [
        (lambda: C.extra == 1, "NOT_EQUALS"),
        (lambda: C.extra != 1, "EQUALS"),
        (lambda: C.extra > 1, "LTE"),
        (lambda: C.extra <= 1, "GT"),
        (lambda: C.extra >= 1, "LT"),
        (lambda: C.extra < 1, "GTE"),
        (lambda: in_("t", C.tags.manual), "NOT_IN"),
        (lambda: not_in_("t", C.tags.manual), "IN"),
        (lambda: C.extra == None, "IS_NOT_NULL"),  # noqa: E711
        (lambda: C.extra != None, "IS_NULL"),  # noqa: E711
    ],
)
def test_not_inverts_the_operator(build, inverted) -> None:
    plain = cond(build())
    negated = cond(~build())
    assert negated["operator"] == inverted
    assert negated.get("value") == plain.get("value")
    assert ("value" in negated) == (inverted not in ("IS_NULL", "IS_NOT_NULL"))


def test_not_between_becomes_lt_low_or_gt_high() -> None:
    assert cond(~between_(C.extra, 1, 5)) == {
        "type": "composite",
        "conditions": [atomic("extra", "LT", 1), atomic("extra", "GT", 5)],
        "conjunction": "or",
    }


def test_de_morgan_and_flattening_after_negation() -> None:
    a, b, c = (C.extra == 1), (C.base.firstName == "x"), (C.base.lastName == "y")
    assert cond(~(a & b)) == cond(~a | ~b)
    assert cond(~(a | b)) == cond(~a & ~b)
    # ~(a & ~(b | c)) == ~a | b | c: one flat "or"
    assert cond(~(a & ~(b | c))) == {
        "type": "composite",
        "conditions": [cond(~a), cond(b), cond(c)],
        "conjunction": "or",
    }
    # NOT BETWEEN inside an "or" merges into it
    assert len(cond(~(between_(C.extra, 1, 2) & a))["conditions"]) == 3


def test_double_negation_is_the_criterion_itself() -> None:
    a = between_(C.extra, 1, 2)
    assert ~~a is a
    assert isinstance(~a, Not)
    assert cond(~~a) == cond(a)


def test_criteria_are_immutable_and_compare_structurally() -> None:
    values = ["a", "b"]
    crit = in_(C.base.firstName, values)
    values.append("c")
    assert crit.value == ["a", "b"]
    crit.value.append("z")  # a copy
    assert crit.value == ["a", "b"]
    with pytest.raises(AttributeError):
        crit.operator = "EQUALS"  # type: ignore[misc]
    assert (C.extra == 1) == (C.extra == 1)
    assert (C.extra == 1) != (C.extra == 2)
    assert (C.extra == 1) != (C.extra == True)  # noqa: E712 - 1 and True differ on the wire
    assert len({C.extra == 1, C.extra == 1, in_(C.extra, [1])}) == 2
    assert ((C.extra == 1) & (C.extra == 2)) == ((C.extra == 1) & (C.extra == 2))


def test_criteria_copy_and_pickle() -> None:
    crit = ~((C.extra == 0) & in_(C.base.firstName, ["a"])) | (C.base.dob == None)  # noqa: E711
    assert copy.copy(crit) is crit and copy.deepcopy(crit) is crit
    path = C.base.firstName
    assert copy.deepcopy(path) is path and pickle.loads(pickle.dumps(path)) == path
    clone = pickle.loads(pickle.dumps(crit))
    assert clone == crit and compile_condition(clone) == compile_condition(crit)
    assert pickle.loads(pickle.dumps(EMPTY)) is EMPTY


# ---------------------------------------------------------------------------------------- misuse
def test_criteria_have_no_truth_value() -> None:
    with pytest.raises(TypeError, match="'&'"):
        bool(C.extra == 1)
    with pytest.raises(TypeError, match="'&'"):
        if (C.extra == 1) & (C.extra == 2):
            pass
    with pytest.raises(TypeError):
        (C.base.firstName == "Bruce") and (C.base.lastName == "Wayne")  # noqa: B015, B018
    with pytest.raises(TypeError, match="no truth value"):
        bool(C.base.firstName)
    with pytest.raises(TypeError, match="no truth value"):
        not ~(C.extra == 1)  # noqa: B015, B018


@pytest.mark.parametrize("other", [1, True, "x", None, [C.extra == 1]])
def test_mixing_criteria_with_other_objects_is_a_type_error(other) -> None:
    crit = C.extra == 1
    for combine in (lambda: crit & other, lambda: other & crit, lambda: crit | other, lambda: other | crit):
        with pytest.raises(InvalidType, match="combines query criteria only"):
            combine()


def test_combining_with_a_bare_path_explains_how_to_compare_it() -> None:
    with pytest.raises(InvalidType, match="compare the path first"):
        (C.extra == 1) & C.base.firstName


def test_path_misuse() -> None:
    with pytest.raises(InvalidType, match="cannot compare two attributes"):
        C.base.firstName < C.base.lastName  # noqa: B015
    with pytest.raises(InvalidType, match="two attribute paths"):
        (C.base.firstName == C.base.lastName) & (C.extra == 1)
    with pytest.raises(InvalidType, match="cannot compare two attributes"):
        C.extra == (C.extra == 1)  # noqa: B015
    with pytest.raises(InvalidValue, match="== None"):
        C.extra < None  # noqa: B015
    with pytest.raises(InvalidType, match=r"in_\("):
        "x" in C.tags.manual  # noqa: B015
    with pytest.raises(TypeError):
        iter(C.tags.manual)
    with pytest.raises(AttributeError):
        C.base._private  # noqa: B018
    with pytest.raises(AttributeError):
        C.base.__wrapped__  # noqa: B018
    with pytest.raises(AttributeError, match="immutable"):
        C.base.firstName.x = 1
    with pytest.raises(InvalidValue):
        C.base["a.b"]
    with pytest.raises(InvalidValue):
        Path(C, "")


def test_function_operator_argument_errors() -> None:
    with pytest.raises(InvalidType, match=r"in_\('vip', Customer.tags.manual\)"):
        in_(C.tags.manual, "vip")
    with pytest.raises(InvalidType):
        not_in_("a", "b")
    with pytest.raises(InvalidType, match="attribute first"):
        between_("2011-01-01", C.base.dob, "2012-01-01")  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="two bounds"):
        between_(C.extra, None, 3)


def test_paths_hash_and_repr() -> None:
    assert hash(C.base.firstName) == hash(C.base.firstName)
    assert {C.base.firstName: 1}[C.base.firstName] == 1
    assert C.base.firstName in [C.base.lastName, C.base.firstName]
    assert (C.base.firstName == C.base.firstName) is True
    assert (C.base.firstName != C.base.lastName) is True
    assert repr(C.base.firstName) == "<Path FakeEntity.base.firstName>"
    assert "EQUALS" in repr(C.extra == 1)


def test_paths_of_two_entities_are_told_apart() -> None:
    assert (OtherEntity.name == 1).entities() == frozenset({OtherEntity})
    assert ((C.extra == 1) & (OtherEntity.name == 1)).entities() == frozenset({C, OtherEntity})


# ------------------------------------------------------------------------------------ compat names
def test_original_operator_constants() -> None:
    ops = Criterion.SIMPLE_OPERATORS
    assert (ops.EQUALS, ops.NOT_EQUALS, ops.GT, ops.GTE, ops.LT, ops.LTE) == (
        "EQUALS",
        "NOT_EQUALS",
        "GT",
        "GTE",
        "LT",
        "LTE",
    )
    assert (ops.IN, ops.NOT_IN, ops.IS_NULL, ops.IS_NOT_NULL, ops.BETWEEN) == (
        "IN",
        "NOT_IN",
        "IS_NULL",
        "IS_NOT_NULL",
        "BETWEEN",
    )
    assert ops.OPERATORS == [
        "EQUALS",
        "NOT_EQUALS",
        "GT",
        "GTE",
        "LT",
        "LTE",
        "IN",
        "NOT_IN",
        "IS_NULL",
        "IS_NOT_NULL",
        "BETWEEN",
    ]
    assert Criterion.COMPLEX_OPERATORS.AND == "and"
    assert Criterion.COMPLEX_OPERATORS.OR == "or"
    assert Criterion.COMPLEX_OPERATORS.OPERATORS == ["and", "or"]
    assert Condition(C.extra, Criterion.SIMPLE_OPERATORS.GT, 2) == (C.extra > 2)


# ----------------------------------------------------------------------------------------- sorting
@pytest.mark.parametrize(
    ("spec", "param"),
    [
        (lambda: C.base.lastName, "base.lastName,asc"),
        (lambda: -C.base.lastName, "base.lastName,desc"),
        (lambda: +C.base.lastName, "base.lastName,asc"),
        (lambda: C.base.lastName.desc(), "base.lastName,desc"),
        (lambda: C.base.lastName.asc(), "base.lastName,asc"),
        (lambda: "base.lastName", "base.lastName,asc"),
        (lambda: "-base.lastName", "base.lastName,desc"),
        (lambda: "base.lastName,desc", "base.lastName,desc"),
        (lambda: "base.lastName,ASC", "base.lastName,asc"),
    ],
)
def test_sort_keys(spec, param) -> None:
    assert SortKey.parse(spec()).to_param() == param


@pytest.mark.parametrize("bad", ["", "-", "base.lastName,up", "a b", 3, None])
def test_bad_sort_keys(bad) -> None:
    with pytest.raises((InvalidValue, InvalidType)):
        SortKey.parse(bad)


def test_compiled_queries_are_plain_json() -> None:
    crit = (C.registeredAt > dt.datetime(2020, 1, 1, tzinfo=UTC)) & ~between_(C.extra, Decimal("1"), 2)
    compiled = compile_query(crit)
    assert json.loads(json.dumps(compiled)) == compiled


def test_criterion_constructor_of_the_original_api_reference() -> None:
    # Criterion(first_element, operator, second_element=None), as documented
    equals = Criterion(C.base.firstName, Criterion.SIMPLE_OPERATORS.EQUALS, "Bruce")
    assert isinstance(equals, Condition) and equals == (C.base.firstName == "Bruce")
    is_null = Criterion(C.base.lastName, Criterion.SIMPLE_OPERATORS.IS_NULL)
    assert cond(is_null) == atomic("base.lastName", "IS_NULL")
    assert Criterion(C.tags.manual, Criterion.SIMPLE_OPERATORS.IN, "vip") == in_("vip", C.tags.manual)
    either = Criterion(equals, Criterion.COMPLEX_OPERATORS.OR, is_null)
    assert isinstance(either, Composite) and either == (equals | is_null)
    assert Criterion(equals, "and", is_null) == (equals & is_null)
    with pytest.raises(InvalidValue, match="LIKE"):
        Criterion(C.base.firstName, "LIKE", "B%")
    with pytest.raises(InvalidType):
        Criterion("base.firstName", "EQUALS", "Bruce")
    with pytest.raises(InvalidType):
        Criterion(equals, "or", "not a criterion")
