"""Properties of the criteria algebra and its compilation.

Two tiny evaluators give criteria a meaning over random documents: one reads the
criterion tree (with a real NOT), the other reads the compiled wire JSON (which
has no NOT). Compilation must never change which documents match.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from contacthub_like import wire
from contacthub_like.query import (
    EMPTY,
    Composite,
    Condition,
    Criterion,
    Not,
    Path,
    between_,
    in_,
    not_in_,
)
from contacthub_like.services.contacthub.compiler import compile_condition, compile_query


class Doc:
    """A stand-in entity: scalar attributes a, b, c (never null), list attribute tags, nullable n."""


SCALARS = [Path(Doc, name) for name in ("a", "b", "c")]
TAGS = Path(Doc, "tags")
NULLABLE = Path(Doc, "n")

small = st.integers(min_value=0, max_value=4)
scalar = st.sampled_from(SCALARS)


def _comparison(path: Path, op: str, value: int) -> Criterion:
    return {
        "==": lambda: path == value,
        "!=": lambda: path != value,
        "<": lambda: path < value,
        "<=": lambda: path <= value,
        ">": lambda: path > value,
        ">=": lambda: path >= value,
    }[op]()


conditions = st.one_of(
    st.builds(_comparison, scalar, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), small),
    st.builds(lambda p, vs: in_(p, vs), scalar, st.lists(small, max_size=3)),
    st.builds(lambda p, vs: not_in_(p, vs), scalar, st.lists(small, max_size=3)),
    st.builds(lambda v: in_(v, TAGS), small),
    st.builds(lambda v: not_in_(v, TAGS), small),
    st.builds(between_, scalar, small, small),
    st.sampled_from([NULLABLE == None, NULLABLE != None]),  # noqa: E711
)

criteria = st.recursive(
    conditions,
    lambda inner: st.one_of(
        st.builds(lambda x, y: x & y, inner, inner),
        st.builds(lambda x, y: x | y, inner, inner),
        st.builds(lambda x: ~x, inner),
    ),
    max_leaves=10,
)

documents = st.fixed_dictionaries(
    {"a": small, "b": small, "c": small, "tags": st.lists(small, max_size=4), "n": st.none() | small}
)


# ------------------------------------------------------------------------------------- evaluators
def _holds(operator: str, actual: Any, value: Any) -> bool:
    if operator == "EQUALS":
        return actual == value
    if operator == "NOT_EQUALS":
        return actual != value
    if operator == "GT":
        return actual > value
    if operator == "GTE":
        return actual >= value
    if operator == "LT":
        return actual < value
    if operator == "LTE":
        return actual <= value
    if operator in ("IN", "NOT_IN"):
        found = actual in value if isinstance(value, list) else value in actual
        return found if operator == "IN" else not found
    if operator == "IS_NULL":
        return actual is None
    if operator == "IS_NOT_NULL":
        return actual is not None
    if operator == "BETWEEN":
        low, high = value
        return low <= actual <= high
    raise AssertionError(f"unknown operator {operator}")


def eval_tree(criterion: Criterion, doc: dict[str, Any]) -> bool:
    """Meaning of the tree as written, NOT included."""
    if criterion is EMPTY:
        return True
    if isinstance(criterion, Not):
        return not eval_tree(criterion.child, doc)
    if isinstance(criterion, Composite):
        results = [eval_tree(child, doc) for child in criterion.children]
        return all(results) if criterion.conjunction == "and" else any(results)
    assert isinstance(criterion, Condition)
    return _holds(criterion.operator, doc.get(criterion.attribute), criterion.value)


def eval_wire(condition: dict[str, Any], doc: dict[str, Any]) -> bool:
    """Meaning of the compiled JSON, as a hub would read it (atomic and composite only)."""
    if condition["type"] == "composite":
        results = [eval_wire(child, doc) for child in condition["conditions"]]
        return all(results) if condition["conjunction"] == "and" else any(results)
    assert condition["type"] == "atomic", condition
    return _holds(condition["operator"], doc.get(condition["attribute"]), condition.get("value"))


def compiled(criterion: Criterion) -> dict[str, Any]:
    result = compile_condition(criterion)
    assert result is not None
    return result


# ------------------------------------------------------------------------------------------ properties
@settings(max_examples=300)
@given(criteria, documents)
def test_compiling_preserves_meaning(criterion: Criterion, doc: dict[str, Any]) -> None:
    assert eval_wire(compiled(criterion), doc) == eval_tree(criterion, doc)


@settings(max_examples=300)
@given(criteria, documents)
def test_negation_compiles_to_the_complement(criterion: Criterion, doc: dict[str, Any]) -> None:
    assert eval_wire(compiled(~criterion), doc) is (not eval_wire(compiled(criterion), doc))


@given(criteria)
def test_double_negation_compiles_like_the_criterion(criterion: Criterion) -> None:
    assert compiled(~~criterion) == compiled(criterion)


@settings(max_examples=200)
@given(criteria, criteria, documents)
def test_de_morgan(x: Criterion, y: Criterion, doc: dict[str, Any]) -> None:
    assert eval_wire(compiled(~(x & y)), doc) == eval_wire(compiled(~x | ~y), doc)
    assert eval_wire(compiled(~(x | y)), doc) == eval_wire(compiled(~x & ~y), doc)
    assert compiled(~(x & y)) == compiled(~x | ~y)
    assert compiled(~(x | y)) == compiled(~x & ~y)


@given(criteria, criteria, criteria)
def test_and_or_are_associative_after_flattening(x: Criterion, y: Criterion, z: Criterion) -> None:
    assert compiled((x & y) & z) == compiled(x & (y & z))
    assert compiled((x | y) | z) == compiled(x | (y | z))


@given(criteria)
def test_empty_is_the_identity(criterion: Criterion) -> None:
    for combined in (criterion & EMPTY, EMPTY & criterion, criterion | EMPTY, EMPTY | criterion):
        assert combined == criterion
        assert compiled(combined) == compiled(criterion)


def _check_shape(condition: dict[str, Any], parent: str | None = None) -> None:
    if condition["type"] == "atomic":
        assert list(condition)[:3] == ["type", "attribute", "operator"]
        has_value = condition["operator"] not in ("IS_NULL", "IS_NOT_NULL")
        assert ("value" in condition) is has_value
        assert list(condition) == ["type", "attribute", "operator"] + (["value"] if has_value else [])
        if condition["operator"] == "BETWEEN":
            assert isinstance(condition["value"], list) and len(condition["value"]) == 2
        return
    assert condition["type"] == "composite"
    assert list(condition) == ["type", "conditions", "conjunction"]
    assert condition["conjunction"] in ("and", "or")
    assert condition["conjunction"] != parent, "same-connector composites must be flattened"
    assert len(condition["conditions"]) >= 2
    for child in condition["conditions"]:
        _check_shape(child, condition["conjunction"])


@settings(max_examples=300)
@given(criteria)
def test_compiled_conditions_are_flat_and_well_formed(criterion: Criterion) -> None:
    _check_shape(compiled(criterion))
    _check_shape(compiled(~criterion))


@given(criteria)
def test_compiling_is_deterministic_and_json_serialisable(criterion: Criterion) -> None:
    first = wire.dumps(compile_query(criterion))
    assert first == wire.dumps(compile_query(criterion))
    assert json.loads(first) == compile_query(criterion)
    assert json.dumps(compile_query(criterion)) == first  # plain JSON, nothing left for the encoder


@given(criteria)
def test_equal_criteria_hash_equal(criterion: Criterion) -> None:
    twin = ~~criterion
    assert twin == criterion and hash(twin) == hash(criterion)
