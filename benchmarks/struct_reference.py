"""A reference for the hydration goal: the same documents turned into ``msgspec`` Structs, in C.

``msgspec.convert`` builds typed objects from parsed JSON without a Python frame per object,
so it tells how far below the model's ratio a compiled, eager conversion of the same
documents lands. It is not a model the library could use as is: Structs keep no baseline
to diff against, and lists read from them are the documents' own. The classes follow the
benchmark fixture (:mod:`.sample_data`) key for key.
"""

from __future__ import annotations

from typing import Any, Optional

import msgspec


class _Strict(msgspec.Struct, forbid_unknown_fields=True):
    """A key the fixture gains and these classes lack fails loudly instead of being skipped (less work)."""


class Geo(_Strict):
    lat: float = 0.0
    lon: float = 0.0


class Address(_Strict):
    street: Optional[str] = None
    city: Optional[str] = None
    country: Optional[str] = None
    province: Optional[str] = None
    region: Optional[str] = None
    zip: Optional[str] = None
    geo: Optional[Geo] = None


class Contacts(_Strict):
    email: Optional[str] = None
    fax: Optional[str] = None
    mobilePhone: Optional[str] = None
    phone: Optional[str] = None
    otherContacts: list[Any] = []
    mobileDevices: list[Any] = []


class Job(_Strict):
    id: Optional[str] = None
    companyIndustry: Optional[str] = None
    companyName: Optional[str] = None
    jobTitle: Optional[str] = None
    startDate: Optional[str] = None
    endDate: Optional[str] = None
    isCurrent: Optional[bool] = None


class Base(_Strict):
    pictureUrl: Optional[str] = None
    title: Optional[str] = None
    prefix: Optional[str] = None
    firstName: Optional[str] = None
    lastName: Optional[str] = None
    middleName: Optional[str] = None
    gender: Optional[str] = None
    dob: Optional[str] = None
    locale: Optional[str] = None
    timezone: Optional[str] = None
    contacts: Optional[Contacts] = None
    address: Optional[Address] = None
    credential: Any = None
    socialProfile: Any = None
    educations: list[Any] = []
    likes: list[Any] = []
    jobs: list[Job] = []
    subscriptions: list[Any] = []


class Tags(_Strict):
    auto: list[str] = []
    manual: list[str] = []


class CustomerStruct(_Strict):
    id: Optional[str] = None
    nodeId: Optional[str] = None
    externalId: Optional[str] = None
    extra: Any = None
    registeredAt: Optional[str] = None
    updatedAt: Optional[str] = None
    enabled: Optional[bool] = None
    base: Optional[Base] = None
    extended: dict[str, Any] = {}
    consents: Any = None
    tags: Optional[Tags] = None


def convert_and_read(docs: list[dict[str, Any]]) -> list[tuple[Any, Any, Any]]:
    """The model benchmark's loop body with ``msgspec.convert`` in place of ``Customer.from_dict``."""
    out = []
    for doc in docs:
        c = msgspec.convert(doc, CustomerStruct)
        base, tags = c.base, c.tags
        assert base is not None and base.contacts is not None and tags is not None
        out.append((base.firstName, base.contacts.email, tags.manual))
    return out
