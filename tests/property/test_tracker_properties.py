"""Property tests for change tracking: the PATCH body always turns the old document into the new one."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from contacthub_like.orm import Properties, apply_merge_patch, dict_diff
from contacthub_like.services.contacthub.entities import Customer

keys = st.sampled_from(["a", "b", "c", "firstName", "email", "x"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=3))
json_trees = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(keys, children, max_size=4)),
    max_leaves=12,
)
documents = st.dictionaries(keys, json_trees, max_size=5)


def _normal(value):
    """What a merge-patch store keeps: no null members, no empty lists (the hub fills those back)."""
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


@given(documents, documents)
def test_dict_diff_is_a_merge_patch_from_old_to_new(old, new):
    """Applying dict_diff(old, new) to old yields new (modulo nulls and empty lists)."""
    assert _normal(apply_merge_patch(old, dict_diff(old, new))) == _normal(new)


@given(documents)
def test_no_change_means_empty_diff(doc):
    """A document diffed against itself produces no body, so no request is sent."""
    assert dict_diff(doc, doc) == {}


def _customer_doc(first, email, manual, extended):
    return {
        "id": "c1",
        "nodeId": "n1",
        "externalId": None,
        "extra": None,
        "enabled": True,
        "registeredAt": "2020-01-01T00:00:00.000+0000",
        "updatedAt": "2020-01-01T00:00:00.000+0000",
        "base": {
            "firstName": first,
            "lastName": "Wayne",
            "dob": "1980-02-03",
            "contacts": {"email": email, "fax": None, "otherContacts": [], "mobileDevices": []},
            "address": None,
            "educations": [],
        },
        "extended": extended,
        "consents": None,
        "tags": {"auto": ["a"], "manual": manual},
    }


names = st.one_of(st.none(), st.text(min_size=1, max_size=5))
edits = st.lists(
    st.one_of(
        st.tuples(st.just("first"), names),
        st.tuples(st.just("email"), names),
        st.tuples(st.just("append_tag"), st.text(min_size=1, max_size=3)),
        st.tuples(st.just("set_tags"), st.lists(st.text(max_size=3), max_size=3)),
        st.tuples(st.just("extended"), st.tuples(keys, json_trees)),
        st.tuples(st.just("dob"), st.dates(dt.date(1900, 1, 1), dt.date(2030, 1, 1))),
        st.tuples(st.just("address"), st.one_of(st.none(), st.text(max_size=3))),
        st.tuples(st.just("del_last"), st.none()),
    ),
    max_size=6,
)


def _apply(customer: Customer, edit):
    kind, value = edit
    if kind == "first":
        customer.base.firstName = value
    elif kind == "email":
        customer.base.contacts.email = value
    elif kind == "append_tag":
        customer.tags.manual.append(value)
    elif kind == "set_tags":
        customer.tags.manual = value
    elif kind == "extended":
        key, tree = value
        customer.extended[key] = tree
    elif kind == "dob":
        customer.base.dob = value
    elif kind == "address":
        customer.base.address = None if value is None else Properties(city=value)
    elif kind == "del_last":
        del customer.base.lastName


@settings(max_examples=200)
@given(
    names,
    names,
    st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(keys, json_trees, max_size=3),
    edits,
)
def test_patch_body_turns_the_snapshot_into_the_edited_customer(first, email, manual, extended, edit_list):
    """For any edits made through the object API, merge-patching the hub's document with
    get_mutation_tracker()'s body gives the object's own to_dict()."""
    doc = _customer_doc(first, email, manual, extended)
    customer = Customer.from_dict(None, doc)
    for edit in edit_list:
        _apply(customer, edit)
    body = customer._diff()
    assert "id" not in body and "registeredAt" not in body and "updatedAt" not in body
    assert _normal(apply_merge_patch(doc, body)) == _normal(customer.to_dict())


@given(names, names, st.lists(st.text(max_size=3), max_size=3))
def test_reading_never_creates_changes(first, email, manual):
    """Reading every section (which decodes lazily and caches) leaves the diff empty."""
    customer = Customer.from_dict(None, _customer_doc(first, email, manual, {"k": [1, {"a": 2}]}))
    _ = (
        customer.base.firstName,
        customer.base.dob,
        customer.base.contacts.otherContacts,
        customer.tags.manual,
    )
    _ = (customer.extended.k, customer.registeredAt, customer.base.educations)
    assert customer._diff() == {}
