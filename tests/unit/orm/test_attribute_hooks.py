"""Closed records keep CPython's own attribute setter, so attribute stores on them stay specialised.

A Python ``__delattr__`` (or ``__setattr__``) on a class replaces the type's C setter, and the
interpreter then runs every ``obj.attr = value`` on that class through the generic path: on the
hydration loop that was an eighth of the model's cost. Deleting a free key is an open-schema
feature, so only open records get the hook.
"""

from __future__ import annotations

import pytest

from contacthub_like import Customer, Properties
from contacthub_like.orm.record import Record


def test_closed_records_keep_the_c_attribute_setter() -> None:
    assert not Customer._meta.open
    assert Customer.__delattr__ is object.__delattr__
    assert Customer.__setattr__ is object.__setattr__
    assert Record.__delattr__ is object.__delattr__


def test_open_records_delete_free_keys_by_attribute() -> None:
    props = Properties(city="Milan", zip="20100")
    del props.city
    assert "city" not in props
    assert props.to_dict() == {"zip": "20100"}


def test_closed_records_delete_fields_and_keys() -> None:
    customer = Customer.from_dict(None, {"id": "c1", "externalId": "x", "unlisted": 1})
    del customer.externalId
    assert customer.get_mutation_tracker() == {"id": "c1", "externalId": None}
    del customer["unlisted"]  # a key the schema does not know: mapping-style access
    assert customer.get_mutation_tracker() == {"id": "c1", "externalId": None, "unlisted": None}
    with pytest.raises(AttributeError):
        del customer.unlisted
