"""The entity model without HTTP: templates, Properties, typed fields, enums, change tracking, reprs."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import customer_doc, event_doc

from contacthub_like import (
    Customer,
    Education,
    Event,
    EventContext,
    EventType,
    InvalidType,
    InvalidValue,
    Job,
    Like,
    Properties,
    SchoolType,
    Subscription,
    SubscriptionKind,
)
from contacthub_like.services.contacthub.entities import (
    BringBackType,
    MobileDeviceType,
    NotificationService,
    OtherContactType,
)

UTC = dt.timezone.utc


# ------------------------------------------------------------------------------------ templates


def test_new_customer_template() -> None:
    assert Customer().to_dict() == {
        "base": {"contacts": {}},
        "extended": {},
        "consents": {},
        "tags": {"manual": [], "auto": []},
    }
    assert Customer().get_mutation_tracker() == {}


def test_custom_default_attributes() -> None:
    customer = Customer(default_attributes={"base": {}})
    customer.base.firstName = "Bruce"
    assert customer.to_dict() == {"base": {"firstName": "Bruce"}}


def test_constructor_attributes() -> None:
    customer = Customer(base=Properties(firstName="Bruce", contacts=Properties(email="b@w.test")), extra="x")
    assert customer.base.firstName == "Bruce"
    assert customer.to_dict()["base"] == {"firstName": "Bruce", "contacts": {"email": "b@w.test"}}
    assert customer.to_dict()["extra"] == "x"


def test_from_dict_round_trip_leaves_the_document_untouched() -> None:
    doc = customer_doc()
    customer = Customer.from_dict(None, doc)
    assert customer.base.contacts.otherContacts[0].type == "PHONE"
    assert customer.to_dict() == customer_doc()
    customer.base.firstName = "Batman"
    assert doc == customer_doc()  # the hub's document is never mutated
    exported = customer.to_dict()
    exported["base"]["lastName"] = "changed"
    assert customer.base.lastName == "Wayne"  # to_dict returns a copy


def test_typed_reads() -> None:
    customer = Customer.from_dict(None, customer_doc())
    assert customer.base.dob == dt.date(1980, 4, 17)
    assert customer.registeredAt == dt.datetime(2017, 3, 9, 11, 31, 31, 842000, tzinfo=UTC)
    assert isinstance(customer.base.educations[0], Education)
    assert customer.base.educations[0].startYear == 1998
    assert customer.extended.loyalty.level == "gold"
    assert customer.consents.marketing.automatic.email.status is True
    assert customer.tags.manual == ["vip"]
    assert customer.base.credential is None


# ------------------------------------------------------------------------------------ Properties


def test_properties_free_form() -> None:
    props = Properties(city="city", geo=Properties(lat=40, lon=100), tags=["a", Properties(k="v")])
    props.extra = {"nested": {"deep": 1}}
    assert props.to_dict() == {
        "city": "city",
        "geo": {"lat": 40, "lon": 100},
        "tags": ["a", {"k": "v"}],
        "extra": {"nested": {"deep": 1}},
    }
    assert props.extra.nested.deep == 1


def test_properties_from_dict_copies() -> None:
    source = {"a": {"b": 1}}
    props = Properties.from_dict(attributes=source)
    props.a.b = 2
    assert source == {"a": {"b": 1}}
    assert props.to_dict() == {"a": {"b": 2}}


def test_properties_assigned_to_a_schema_section_are_checked() -> None:
    customer = Customer()
    customer.base.contacts = Properties(
        email="bruce.wayne@darkknight.it",
        fax="fax",
        otherContacts=[Properties(value="123", name="phone", type="MOBILE")],
    )
    customer.base.address = Properties(city="city", province="province", geo=Properties(lat=40, lon=100))
    assert customer.to_dict()["base"] == {
        "contacts": {
            "email": "bruce.wayne@darkknight.it",
            "fax": "fax",
            "otherContacts": [{"value": "123", "name": "phone", "type": "MOBILE"}],
        },
        "address": {"city": "city", "province": "province", "geo": {"lat": 40, "lon": 100}},
    }
    with pytest.raises(InvalidValue):
        customer.base.contacts = Properties(otherContacts=[Properties(type="PIGEON")])


# ------------------------------------------------------------------------------------ field checks


def test_wrong_type_is_a_type_error() -> None:
    with pytest.raises(InvalidType) as info:
        Customer().base.firstName = 5
    assert isinstance(info.value, TypeError)
    assert "firstName" in str(info.value)


def test_unknown_choice_is_a_value_error_naming_the_enum() -> None:
    with pytest.raises(InvalidValue) as info:
        Customer().base.timezone = "Mars/Olympus"
    assert isinstance(info.value, ValueError)
    assert "Timezone" in str(info.value)


def test_unknown_attribute_set_on_a_fixed_section_is_refused() -> None:
    """Fixed sections are slotted: an unknown name cannot be set (and so is never sent by mistake)."""
    with pytest.raises(AttributeError) as info:
        Customer().base.nickname = "Batman"
    assert "nickname" in str(info.value)


def test_unknown_attribute_read_on_a_fixed_section() -> None:
    with pytest.raises(AttributeError) as info:
        Customer().base.nickname  # noqa: B018
    assert "firstName" in str(info.value)


def test_read_only_fields() -> None:
    customer = Customer(id="c-1", registeredAt="2017-03-09T11:31:31.842+0000")
    assert customer.id == "c-1"
    assert customer.registeredAt == dt.datetime(2017, 3, 9, 11, 31, 31, 842000, tzinfo=UTC)
    with pytest.raises(InvalidValue):
        customer.updatedAt = dt.datetime(2020, 1, 1)
    assert "registeredAt" not in customer.get_mutation_tracker()


def test_date_fields_accept_strings_and_dates() -> None:
    job = Job(id="j", startDate="1994-10-06", endDate=dt.date(1998, 1, 31))
    assert job.startDate == dt.date(1994, 10, 6)
    assert job.to_dict() == {"id": "j", "startDate": "1994-10-06", "endDate": "1998-01-31"}
    with pytest.raises(InvalidValue):
        Job(id="j", startDate="the nineties")


def test_datetime_fields_are_sent_in_utc() -> None:
    naive = Like(id="l", createdTime=dt.datetime(2017, 6, 1, 12, 0))
    aware = Like(
        id="l", createdTime=dt.datetime(2017, 6, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    )
    hub_form = Like(id="l", createdTime="2017-06-01T12:00:00.250+0000")
    assert naive.to_dict()["createdTime"] == "2017-06-01T12:00:00Z"
    assert aware.to_dict()["createdTime"] == "2017-06-01T17:00:00Z"
    assert hub_form.createdTime == dt.datetime(2017, 6, 1, 12, 0, 0, 250000, tzinfo=UTC)
    assert hub_form.to_dict()["createdTime"] == "2017-06-01T12:00:00.250Z"


# ------------------------------------------------------------------------------------ enums


def test_event_types_are_the_api_values() -> None:
    assert len({t.value for t in EventType}) == 47
    assert Event.TYPES is EventType
    assert Event.TYPES.ADDED_WISHLIST == "addedWishlist"
    # the original SDK's misspelt names still resolve, to the API's spelling
    assert Event.TYPES.ADDED_WISH_LIST.value == "addedWishlist"
    assert Event.TYPES.REMOVED_WISH_LIST.value == "removedWishlist"
    assert Event.TYPES.EVENT_PARTECIPATED.value == "eventParticipated"
    assert Event.TYPES.EVENT_NO_SHOW.value == "eventNoShow"


def test_other_enums() -> None:
    assert [c.value for c in EventContext] == [
        "CONTACT_CENTER",
        "WEB",
        "MOBILE",
        "ECOMMERCE",
        "RETAIL",
        "IOT",
        "SOCIAL",
        "DIGITAL_CAMPAIGN",
        "OTHER",
    ]
    assert Event.MODES.ACTIVE == "ACTIVE" and Event.MODES.PASSIVE == "PASSIVE"
    assert Education.SCHOOL_TYPES is SchoolType and SchoolType.COLLEGE == "COLLEGE"
    assert Subscription.KINDS is SubscriptionKind
    assert {k.value for k in SubscriptionKind} == {"DIGITAL_MESSAGE", "SERVICE", "OTHER"}
    assert Customer.SUBSCRIPTION_KINDS.SERVICE == Customer.SUBSCRPTION_KINDS.SERVICE == "SERVICE"
    assert {m.value for m in MobileDeviceType} == {"IOS", "ANDROID", "WINDOWS_PHONE", "FIREOS"}
    assert {n.value for n in NotificationService} == {"APN", "GCM", "WNS", "ADM", "SNS"}
    assert {o.value for o in OtherContactType} == {"MOBILE", "PHONE", "EMAIL", "FAX", "OTHER"}
    assert {b.value for b in BringBackType} == {"SESSION_ID", "EXTERNAL_ID"}
    assert Customer.TIMEZONES.EUROPE_ROME == "Europe/Rome"
    assert len(list(Customer.TIMEZONES)) == 342


def test_enum_members_are_sent_as_their_values() -> None:
    education = Education(id="e", schoolType=Education.SCHOOL_TYPES.HIGH_SCHOOL)
    assert education.to_dict() == {"id": "e", "schoolType": "HIGH_SCHOOL"}
    event = Event(type=Event.TYPES.VIEWED_PAGE, context=Event.CONTEXTS.WEB)
    assert event.to_dict() == {"type": "viewedPage", "context": "WEB"}


# ------------------------------------------------------------------------------------ change tracking


def tracked() -> Customer:
    return Customer.from_dict(None, customer_doc())


def test_tracker_nested_and_free_form() -> None:
    customer = tracked()
    customer.extended.newlist = [1]
    customer.extended.loyalty.level = "platinum"
    customer.base.address.geo.lat = 41
    assert customer.get_mutation_tracker() == {
        "id": "c-1",
        "extended": {"newlist": [1], "loyalty": {"level": "platinum"}},
        "base": {"address": {"geo": {"lat": 41}}},
    }


def test_tracker_in_place_list_edits() -> None:
    customer = Customer.from_dict(None, customer_doc(extended={"lst": [1, 2]}))
    customer.extended.lst.append(3)
    customer.base.contacts.otherContacts.append(Properties(name="x", type="EMAIL", value="v"))
    assert customer.get_mutation_tracker() == {
        "id": "c-1",
        "extended": {"lst": [1, 2, 3]},
        "base": {
            "contacts": {
                "otherContacts": [
                    {"name": "office", "type": "PHONE", "value": "123"},
                    {"name": "x", "type": "EMAIL", "value": "v"},
                ]
            }
        },
    }


def test_tracker_delete_attribute_sends_null() -> None:
    customer = tracked()
    del customer.base.firstName
    assert customer.get_mutation_tracker() == {"id": "c-1", "base": {"firstName": None}}


def test_tracker_clearing_a_list_sends_an_empty_list() -> None:
    customer = tracked()
    customer.base.educations = None
    assert customer.get_mutation_tracker() == {"id": "c-1", "base": {"educations": []}}


def test_tracker_replacing_extended_nulls_removed_keys() -> None:
    customer = tracked()
    customer.extended = Properties(score=4)
    assert customer.get_mutation_tracker() == {"id": "c-1", "extended": {"loyalty": None, "score": 4}}


def test_tracker_ignores_same_value_assignments() -> None:
    customer = tracked()
    customer.base.firstName = "Bruce"
    customer.base.dob = "1980-04-17"
    customer.tags.manual = ["vip"]
    assert customer.get_mutation_tracker() == {"id": "c-1"}


# ------------------------------------------------------------------------------------ events and reprs


def test_event_from_dict() -> None:
    event = Event.from_dict(None, event_doc())
    assert event.date == dt.datetime(2017, 4, 3, 13, 47, 23, 93000, tzinfo=UTC)
    assert event.contextInfo.client.ip == "172.16.16.1"
    assert event.bringBackProperties is None
    assert "ev-1" in repr(event)


def test_event_bring_back_type_aliases() -> None:
    assert Event(bringBackProperties=Properties(type="sessionId", value="s")).to_dict() == {
        "bringBackProperties": {"type": "SESSION_ID", "value": "s"}
    }
    with pytest.raises(InvalidValue):
        Event(bringBackProperties=Properties(type="EMAIL", value="s"))


def test_reprs_hide_passwords() -> None:
    customer = tracked()
    customer.base.credential = Properties(username="bruce", password="i-am-batman")
    for text in (
        repr(customer),
        repr(customer.base),
        repr(customer.base.credential),
        repr(Properties(password="p4ss")),
    ):
        assert "i-am-batman" not in text and "p4ss" not in text


def test_records_compare_with_dicts() -> None:
    assert Properties(a=1, b=Properties(c=2)) == {"a": 1, "b": {"c": 2}}
    assert Education(id="e", startYear=1994) == Education(id="e", startYear="1994")


def test_reading_sections_makes_no_reference_cycle():
    """A customer whose sections were read is freed by reference counting alone, so a page walk
    does not feed the cyclic collector (the back-reference from a section is weak)."""
    import gc
    import weakref

    from contacthub_like import Customer

    customer = Customer.from_dict(
        None, {"id": "c-1", "base": {"firstName": "A", "contacts": {"email": "a@x.example"}}}
    )
    assert customer.base.contacts.email == "a@x.example"
    assert customer.base.contacts._parent is customer.base and customer.base._parent is customer
    gone = weakref.ref(customer)
    gc.disable()
    try:
        del customer
        assert gone() is None
    finally:
        gc.enable()


def test_an_item_still_knows_its_customer_after_the_customer_object_is_dropped():
    from contacthub_like import Customer

    def first_job():
        customer = Customer.from_dict(None, {"id": "c-1", "base": {"jobs": [{"id": "j-1"}]}})
        return customer.base.jobs[0]  # the customer object is dropped on return

    job = first_job()
    assert job.customer is not None and job.customer.id == "c-1"
    section = Customer.from_dict(None, {"id": "c-2", "base": {"firstName": "B"}}).base
    assert section._parent is None and section.firstName == "B"  # a dropped owner leaves the section usable
