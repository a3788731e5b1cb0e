"""Mistakes a type checker must report, checked by mypy in tests/typing/test_types.py.

Each line that must be an error carries ``# error: CODE`` (mypy's error code); the test
asserts that mypy reports exactly these, so typed fields cannot turn back into ``Any``
without the suite noticing. Never run: pytest does not collect this file.
"""

from __future__ import annotations

import datetime

from contacthub_like import Customer, Workspace


def mistakes() -> None:
    node = Workspace().get_node()
    customer = node.get_customer(id="c-1")
    customer.base.firstNaem = "Bruce"  # error: attr-defined
    print(customer.base.contacts.emial)  # error: attr-defined
    customer.base.dob = 1939  # error: assignment
    customer.enabled = "yes"  # error: assignment
    customer.base.address.geo.lat = "north"  # error: assignment
    customer.tags.manual = "vip"  # error: assignment
    customer.registeredAt = datetime.date(2024, 1, 1)  # error: assignment
    first = node.query(Customer).first()
    print(first.base)  # error: union-attr
    name: int = customer.base.firstName  # error: assignment
    print(name)
