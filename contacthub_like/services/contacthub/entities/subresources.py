"""Education, Job, Like and Subscription: items of a customer's ``base`` lists with their own endpoints.

Each one is a record inside ``customer.base.<list>`` *and* a resource at
``/customers/{id}/<collection>/{itemId}``. One base class carries the verbs; the
four classes only declare their fields and collection name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ....errors import OperationNotPermitted
from ....orm import Boolean, Choice, Date, DateTime, Entity, Integer, ListOf, Record, String
from ....orm.flows import Call, Flow, run, run_async
from ....service import segment
from .enums import SchoolType, SubscriptionKind

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Self

    from ..workspace import Node
    from .customer import Customer

__all__ = ["CustomerItem", "Education", "Job", "Like", "Subscription"]


class CustomerItem(Record):
    """A sub-resource of a customer, addressed by a client-chosen ``id``."""

    # ``_home`` is a strong reference to the entity that contained the item when it was read:
    # the section chain above an item is linked weakly, and ``customer.base.jobs[0].customer``
    # must still answer after the customer object itself was dropped.
    __slots__ = ("_customer", "_customer_id", "_node", "_home")
    __open__ = False
    _customer: Customer | None
    _customer_id: str | None
    _node: Node | None
    _home: Entity | None
    #: URL segment under /customers/{id}/
    __collection__ = ""

    id: String = String(doc="client-chosen identifier, unique within the customer's list")

    def __init__(
        self,
        customer: Customer | None = None,
        parent_attr: str | None = None,
        properties_class: Any = None,
        *,
        customer_id: str | None = None,
        **attributes: Any,
    ) -> None:
        self._init_state({}, None)
        self._customer = customer
        self._customer_id = customer_id
        for key, value in attributes.items():
            self._assign(key, value)

    @classmethod
    def from_dict(
        cls,
        customer: Customer | None = None,
        attributes: Mapping[str, Any] | None = None,
        parent_attr: str | None = None,
        properties_class: Any = None,
        *,
        customer_id: str | None = None,
    ) -> Self:
        """Wrap a document as the hub sent it (kept as the baseline for change tracking)."""
        obj = cls._from_source(dict(attributes or {}), None)
        obj._customer = customer
        obj._customer_id = customer_id
        return obj

    @classmethod
    def _from_source(cls, source: dict[str, Any], parent: Record | None = None) -> Self:
        obj = super()._from_source(source, parent)
        obj._customer = None
        obj._customer_id = None
        obj._node = None
        obj._home = _containing_entity(parent)
        return obj

    def _init_state(self, source: dict[str, Any], parent: Record | None) -> None:
        super()._init_state(source, parent)
        self._customer = None
        self._customer_id = None
        self._node = None
        self._home = _containing_entity(parent)

    # -- who owns me --------------------------------------------------------------------------
    @property
    def customer(self) -> Customer | None:
        """The customer this item belongs to, if known (given, or the record that contains it)."""
        if self._customer is not None:
            return self._customer
        return _containing_entity(self._parent) or self._home  # type: ignore[return-value]

    def _owner(self, verb: str) -> tuple[Node, str]:
        customer = self.customer
        customer_id = self._customer_id
        node = self._node
        if customer is not None:
            node = node or customer.node
            customer_id = customer_id or customer._source.get("id")
        if node is None or not customer_id:
            raise OperationNotPermitted(
                f"cannot {verb} this {type(self).__name__}: it needs a customer that exists on a node, e.g. "
                f"{type(self).__name__}(customer=node.get_customer(id=...), id='01', ...)"
            )
        return node, str(customer_id)

    def _item_id(self, verb: str) -> str:
        ident = self.id
        if not ident:
            raise OperationNotPermitted(f"cannot {verb} a {type(self).__name__} without an id: set .id first")
        return str(ident)

    # -- verbs ------------------------------------------------------------------------------------
    def _call(self, verb: str, method: str, item_id: str | None, body: Any = None) -> Flow[Any]:
        node, customer_id = self._owner(verb)
        return (
            yield Call(node, "call", method, item_path(node, type(self), customer_id, item_id), body=body)
        )

    def _post_flow(self) -> Flow[Self]:
        self._reset((yield from self._call("post", "POST", None, self.to_dict())))
        return self

    def _put_flow(self) -> Flow[Self]:
        body = self.to_dict()
        body.pop("id", None)
        self._reset((yield from self._call("put", "PUT", self._item_id("put"), body)))
        return self

    def _delete_flow(self) -> Flow[None]:
        yield from self._call("delete", "DELETE", self._item_id("delete"))

    def _refresh_flow(self) -> Flow[Self]:
        self._reset((yield from self._call("refresh", "GET", self._item_id("refresh"))))
        return self

    def post(self) -> Self:
        """Add this item to its customer; the hub's answer becomes the new baseline."""
        return run(self._post_flow())

    async def post_async(self) -> Self:
        """:meth:`post`, awaited."""
        return await run_async(self._post_flow())

    def put(self) -> Self:
        """Replace the item on the hub with this object's full content."""
        return run(self._put_flow())

    async def put_async(self) -> Self:
        """:meth:`put`, awaited."""
        return await run_async(self._put_flow())

    def delete(self) -> None:
        """Remove the item from its customer."""
        run(self._delete_flow())

    async def delete_async(self) -> None:
        """:meth:`delete`, awaited."""
        await run_async(self._delete_flow())

    def refresh(self) -> Self:
        """Reload the item from the hub, dropping local changes."""
        return run(self._refresh_flow())

    async def refresh_async(self) -> Self:
        """:meth:`refresh`, awaited."""
        return await run_async(self._refresh_flow())


def item_path(node: Node, cls: type[CustomerItem], customer_id: str, item_id: str | None) -> str:
    """``{root}/customers/{customer}/{collection}[/{item}]``, ids checked as path segments."""
    path = f"{node.root}/customers/{segment('customer id', customer_id)}/{cls.__collection__}"
    if item_id is not None:
        path += "/" + segment(f"{cls.__name__.lower()} id", item_id)
    return path


class Education(CustomerItem):
    __collection__ = "educations"
    SCHOOL_TYPES = SchoolType

    schoolType: Choice = Choice(SchoolType)
    schoolName: String = String()
    schoolConcentration: String = String()
    startYear: Integer = Integer()
    endYear: Integer = Integer()
    isCurrent: Boolean = Boolean()


class Job(CustomerItem):
    __collection__ = "jobs"

    companyIndustry: String = String()
    companyName: String = String()
    jobTitle: String = String()
    startDate: Date = Date()
    endDate: Date = Date()
    isCurrent: Boolean = Boolean()


class Like(CustomerItem):
    __collection__ = "likes"

    category: String = String()
    name: String = String()
    createdTime: DateTime = DateTime()


class Subscription(CustomerItem):
    __collection__ = "subscriptions"
    KINDS = SubscriptionKind

    name: String = String()
    type: String = String()
    kind: Choice = Choice(SubscriptionKind)
    subscribed: Boolean = Boolean()
    startDate: DateTime = DateTime()
    endDate: DateTime = DateTime()
    subscriberId: String = String()
    registeredAt: DateTime = DateTime()
    updatedAt: DateTime = DateTime()
    preferences: ListOf[Any] = ListOf()


def _containing_entity(record: Record | None) -> Entity | None:
    """The entity (customer) at the top of ``record``'s chain of containing sections, if alive."""
    while record is not None and not isinstance(record, Entity):
        record = record._parent
    return record
