"""The Customer entity and the schema of its sections (research: customer JSON schema)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ....errors import Conflict, PreconditionFailed
from ....http.encoding import parsed_answer
from ....orm import (
    Boolean,
    Choice,
    Date,
    DateTime,
    FreeForm,
    ListOf,
    Nested,
    Number,
    Properties,
    Record,
    Resource,
    String,
)
from ....orm.flows import Call, Flow, run, run_async
from ....wire import encode_value
from ..versions import Versioned, etag_of, our_own_write
from .enums import (
    MobileDeviceType,
    NotificationService,
    OtherContactType,
    SubscriptionKind,
    Timezone,
)
from .subresources import Education, Job, Like, Subscription

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Self

    from ....query.paginated import PaginatedList
    from ..workspace import Node
    from .event import Event
    from .invoice import Invoice

__all__ = [
    "Customer",
    "CustomerBase",
    "Contacts",
    "OtherContact",
    "MobileDevice",
    "Address",
    "Geo",
    "Credential",
    "SocialProfile",
    "Consents",
    "Disclaimer",
    "Tags",
]


if TYPE_CHECKING:
    # To type checkers a section is a record with a schema, without Properties' free-form
    # attributes, so a misspelt field (``c.base.firstNaem = "x"``) is reported where it is written.
    _SectionBase = Record
else:
    _SectionBase = Properties


class Section(_SectionBase):
    """A nested section with a fixed schema; unknown keys are refused with the list of known ones.

    It is a :class:`Properties` (the original SDK returned one for every section, and code
    checks for it) whose keys are fixed by the schema.
    """

    __open__ = False


class OtherContact(Section):
    name: String = String()
    type: Choice = Choice(OtherContactType)
    value: String = String()


class MobileDevice(Section):
    identifier: String = String()
    appId: String = String()
    name: String = String()
    type: Choice = Choice(MobileDeviceType)
    notificationService: Choice = Choice(NotificationService)


class Contacts(Section):
    email: String = String()
    fax: String = String()
    mobilePhone: String = String()
    phone: String = String()
    otherContacts: ListOf[OtherContact] = ListOf(Nested(OtherContact))
    mobileDevices: ListOf[MobileDevice] = ListOf(Nested(MobileDevice))


class Geo(Section):
    lat: Number = Number()
    lon: Number = Number()


class Address(Section):
    street: String = String()
    city: String = String()
    country: String = String()
    province: String = String()
    region: String = String()
    zip: String = String()
    geo: Nested[Geo] = Nested(Geo)


class Credential(Section):
    username: String = String()
    password: String = String()

    def __repr__(self) -> str:  # the password never shows, whatever repr path is taken
        return f"Credential(username={self.username!r}, password='***')"


class SocialProfile(Section):
    facebook: String = String()
    google: String = String()
    instagram: String = String()
    linkedin: String = String()
    qzone: String = String()
    twitter: String = String()


class CustomerBase(Section):
    """``customer.base``: the standard profile properties."""

    pictureUrl: String = String()
    title: String = String()
    prefix: String = String()
    firstName: String = String()
    lastName: String = String()
    middleName: String = String()
    gender: String = String()
    dob: Date = Date()
    locale: String = String()
    timezone: Choice = Choice(Timezone)
    contacts: Nested[Contacts] = Nested(Contacts)
    address: Nested[Address] = Nested(Address)
    credential: Nested[Credential] = Nested(Credential)
    socialProfile: Nested[SocialProfile] = Nested(SocialProfile)
    educations: ListOf[Education] = ListOf(Nested(Education))
    likes: ListOf[Like] = ListOf(Nested(Like))
    jobs: ListOf[Job] = ListOf(Nested(Job))
    subscriptions: ListOf[Subscription] = ListOf(Nested(Subscription))


class Disclaimer(Section):
    date: DateTime = DateTime()
    version: String = String()


class Consents(Section):
    """``customer.consents``; each leaf consent is ``{status, limitation, objection}``."""

    disclaimer: Nested[Disclaimer] = Nested(Disclaimer)
    marketing: FreeForm = FreeForm()
    profiling: FreeForm = FreeForm()
    softSpam: FreeForm = FreeForm()
    thirdPartyTransfer: FreeForm = FreeForm()


class Tags(Section):
    auto: ListOf[str] = ListOf(String())
    manual: ListOf[str] = ListOf(String())


def _default_template() -> dict[str, Any]:
    return {
        "base": {"contacts": {}},
        "extended": {},
        "consents": {},
        "tags": {"auto": [], "manual": []},
    }


class Customer(Resource):
    """A customer of a node.

    ``Customer(node=node, base=Properties(firstName='Bruce'))`` builds a new one to
    :meth:`post`; ``node.get_customer(id=...)`` returns one whose edits :meth:`patch`
    sends as a minimal body.
    """

    __collection__ = "customers"

    if TYPE_CHECKING:  # a ContactHub entity's session is a Node, with the hub's own calls

        node: Node | None

        def _require_node(self, verb: str) -> Node: ...

    SUBSCRIPTION_KINDS = SubscriptionKind
    SUBSCRPTION_KINDS = SubscriptionKind  # spelling used by the original documentation
    OTHER_CONTACT_TYPES = OtherContactType
    MOBILE_DEVICE_TYPES = MobileDeviceType
    NOTIFICATION_SERVICES = NotificationService
    TIMEZONES = Timezone

    id: String = String(read_only=True)
    nodeId: String = String(read_only=True)
    externalId: String = String()
    extra: String = String()
    enabled: Boolean = Boolean()
    registeredAt: DateTime = DateTime(read_only=True)
    updatedAt: DateTime = DateTime(read_only=True)
    base: Nested[CustomerBase] = Nested(CustomerBase)
    # declared as well as assigned: _complete_template() assigns dicts to these two, and a type
    # checker would otherwise read the attributes as "the field or a dict"
    extended: FreeForm = FreeForm()
    consents: Nested[Consents] = Nested(Consents)
    tags: Nested[Tags] = Nested(Tags)

    def __init__(
        self, node: Node | None = None, default_attributes: Mapping[str, Any] | None = None, **attributes: Any
    ) -> None:
        template = (
            _default_template() if default_attributes is None else encode_value(dict(default_attributes))
        )
        self._init_state(template, None)
        self.node = node
        for key, value in attributes.items():
            self._assign(key, value)
        if default_attributes is None:
            self._complete_template()

    def _complete_template(self) -> None:
        """Sections given to the constructor keep the template's empty parts, as in the original SDK.

        So ``Customer(node=node, base=Properties(firstName='Bruce'))`` still has
        ``base.contacts`` to fill, and ``extended=None`` or ``tags=None`` mean "empty".
        """
        base = self.base
        if base is not None and "contacts" not in base:
            base.contacts = {}
        if self.extended is None:
            self.extended = {}
        if self.tags is None:
            self.tags = {"auto": [], "manual": []}

    @classmethod
    def from_dict(  # type: ignore[override]  # its session is a ContactHub Node
        cls, node: Node | None, attributes: Mapping[str, Any] | None = None
    ) -> Self:
        """Wrap a customer document as the hub sent it; it becomes the baseline for :meth:`patch`."""
        # the hot path of every page read: no copy, no decoding, just the slots
        obj = cls.__new__(cls)
        obj._source = attributes if isinstance(attributes, dict) else dict(attributes or {})
        obj._values = {}
        obj._parent_ref = None
        obj.node = node
        return obj

    def _init_state(self, source: dict[str, Any], parent: Record | None) -> None:
        super()._init_state(source, parent)
        self.node = None

    # -- reading -------------------------------------------------------------------------------
    def get_mutation_tracker(self) -> dict[str, Any]:
        """The pending changes as a PATCH body, plus ``id`` so ``node.update_customer(**tracker)`` works."""
        diff = self._diff()
        ident = self._source.get("id")
        return {"id": ident, **diff} if ident else diff

    def get_events(self, **filters: Any) -> PaginatedList[Event]:
        """This customer's events, as a lazy read-only list (filters as in ``node.get_events``)."""
        node = self._require_node("list the events of")
        return node.get_events(customer_id=self._require_id("list the events of"), **filters)

    @property
    def events(self) -> PaginatedList[Event]:
        return self.get_events()

    def invoices(self) -> PaginatedList[Invoice]:
        """This customer's invoices, as a lazy list; ``node.query(Invoice)`` filters and sorts further."""
        from .invoice import invoices_of

        return invoices_of(self)

    # -- writing ---------------------------------------------------------------------------------
    def _post_flow(self, force_update: bool = False) -> Flow[Customer]:
        node = self._require_node("post")
        self._reset((yield from create_customer_flow(node, self._body_for_create, force_update=force_update)))
        return self

    def post(self, force_update: bool = False, *, forceUpdate: bool | None = None) -> Customer:
        """Create this customer on its node.

        With ``force_update=True`` a 409 conflict (the hub's matching policy found the
        customer already) becomes a PATCH of the existing customer with this body.
        """
        return run(self._post_flow(force_update if forceUpdate is None else forceUpdate))

    async def post_async(self, force_update: bool = False, *, forceUpdate: bool | None = None) -> Customer:
        """:meth:`post`, awaited."""
        return await run_async(self._post_flow(force_update if forceUpdate is None else forceUpdate))

    def _put_flow(self, force: bool = False) -> Flow[Customer]:
        node = self._require_node("put")
        ident = self._require_id("put")
        body = put_body(
            ident, self._without_read_only(self.to_dict()), self._source.get("nodeId") or node.node_id
        )
        tag = None if force else etag_of(self._source)
        change = {k: v for k, v in body.items() if k not in ("id", "nodeId")}
        self._reset((yield from conditional_write_flow(node, "PUT", ident, body, tag, change)))
        return self

    def put(self, force: bool = False) -> Customer:
        """Replace the whole customer on the hub with this object's content.

        When the hub sent an ``ETag`` with this customer, the write is conditional: if someone
        changed the customer since, :class:`~contacthub_like.errors.PreconditionFailed` is raised
        with their version in ``current``.  ``force=True`` overwrites it anyway.
        """
        return run(self._put_flow(force))

    async def put_async(self, force: bool = False) -> Customer:
        """:meth:`put`, awaited."""
        return await run_async(self._put_flow(force))

    def _patch_flow(self, force: bool = False) -> Flow[Customer]:
        node = self._require_node("patch")
        ident = self._require_id("patch")
        diff = self._diff()
        if diff:
            tag = None if force else etag_of(self._source)
            self._reset((yield from conditional_write_flow(node, "PATCH", ident, diff, tag, diff)))
        return self

    def patch(self, force: bool = False) -> Customer:
        """Send only what changed since the last hub document; sends nothing when nothing changed.

        Conditional like :meth:`put` when the hub sent an ``ETag``; ``force=True`` overwrites.
        """
        return run(self._patch_flow(force))

    async def patch_async(self, force: bool = False) -> Customer:
        """:meth:`patch`, awaited (the same tracker, the same body)."""
        return await run_async(self._patch_flow(force))

    def _refresh_flow(self) -> Flow[Customer]:
        node = self._require_node("refresh")
        self._reset((yield from versioned_flow(node, "GET", self._require_id("refresh"))))
        return self

    def __repr__(self) -> str:
        return f"<Customer id={self._source.get('id')!r} externalId={self.externalId!r}>"


def has_matching_key(body: Mapping[str, Any]) -> bool:
    """Whether the hub's matching policy can recognise a repeat of this create (externalId or email)."""
    base = body.get("base")
    contacts = base.get("contacts") if isinstance(base, Mapping) else None
    email = contacts.get("email") if isinstance(contacts, Mapping) else None
    return bool(body.get("externalId")) or bool(email)


def put_body(customer_id: str, body: dict[str, Any], node_id: str) -> dict[str, Any]:
    """A full customer for PUT: it names itself (``id``) and its node, as every ContactHub SDK does."""
    return {"id": str(customer_id), "nodeId": node_id, **body}


def prune_empty(value: Any) -> Any:
    """Drop empty dicts and lists, recursively (a dict left empty by the pruning goes too)."""
    if isinstance(value, dict):
        pruned = {k: prune_empty(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v != {} and v != []}
    return value


def versioned_flow(
    node: Any, method: str, customer_id: str, body: Any = None, *, if_match: str | None = None
) -> Flow[Versioned]:
    """One customer's document with the hub's ETag, when it sends one (see :mod:`..versions`).

    ``if_match`` makes a write conditional: the hub answers 412 (PreconditionFailed) when the
    customer is no longer that version.  Every method here repeats safely (PATCH bodies hold
    absolute values).
    """
    path = node.path(Customer, customer_id)
    options: dict[str, Any] = {"idempotent": True}
    if if_match:
        options["headers"] = {"If-Match": if_match}
    if body is not None:
        options["json"] = body
    response = yield Call(node.transport, "request_raw", method, path, **options)
    return Versioned(parsed_answer(response, method, path) or {}, response.headers.get("ETag"))


def conditional_write_flow(
    node: Any, method: str, customer_id: str, body: Any, etag: str | None, change: dict[str, Any]
) -> Flow[Versioned]:
    """A write with ``If-Match``, taking a 412 that follows a lost answer for what it usually is: ours.

    The transport repeats a write whose answer was lost; if the first attempt was applied, the
    repeat's ``If-Match`` no longer matches.  When the hub's current customer already holds
    ``change``, that version is the answer; any other 412 is raised.
    """
    try:
        return (yield from versioned_flow(node, method, customer_id, body, if_match=etag))
    except PreconditionFailed as exc:
        adopted = our_own_write(exc, change)
        if adopted is None:
            raise
        return adopted


def create_customer_flow(
    node: Any, body: dict[str, Any], *, force_update: bool, claim_repeat: bool = True
) -> Flow[dict[str, Any]]:
    """POST a customer into ``node``; the 409 rules of ContactHub.

    A 409 after a lost answer is our own earlier attempt (unless ``claim_repeat=False``: an
    importer that must know whether it created the customer gets the 409 instead, since "maybe
    ours" is no proof); ``force_update=True`` turns a 409 into a PATCH of the existing customer.
    """
    body = {**body, "nodeId": node.node_id}
    try:
        # Repeating is safe when the hub can recognise the repeat (a 409, resolved below): only
        # with an externalId or email, the keys its matching policy uses.
        return (yield Call(node, "request", Customer, "POST", body=body, idempotent=has_matching_key(body)))
    except Conflict as conflict:
        existing = conflict.existing_id
        if existing and conflict.maybe_applied_before and claim_repeat and not force_update:
            # an earlier attempt lost its answer, most likely after creating the customer: it is ours
            return (yield from versioned_flow(node, "GET", existing))
        if not force_update or not existing:
            raise
        # empty sections in a new customer mean "nothing given": they must not clear existing data
        patch = prune_empty({k: v for k, v in body.items() if k != "nodeId"})
        return (yield from versioned_flow(node, "PATCH", existing, patch))
