"""A script written as a user writes one, checked by mypy in tests/typing/test_types.py.

Nothing here runs in the suite (pytest does not collect this file and the functions are
never called): it exists to be type-checked. Each ``reveal_type(...)`` carries the type
mypy must infer, in a ``# revealed: ...`` comment that the test reads, so what an editor
shows for entities, fields, sections, queries and lists is part of the suite.
"""

# fmt: off
# (each reveal_type stays on one line with the type it must show)
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from contacthub_like import Customer, Properties, Workspace, in_
from contacthub_like.ci360 import CI360
from contacthub_like.ci360 import Audience as CI360Audience
from contacthub_like.netsapiens import NetSapiens
from contacthub_like.streamone import Invoice as IonInvoice
from contacthub_like.streamone import Report as IonReport
from contacthub_like.streamone import StreamOne

if TYPE_CHECKING:
    from typing_extensions import reveal_type


def contacthub() -> None:
    workspace = Workspace()
    node = workspace.get_node()
    reveal_type(node)  # revealed: contacthub_like.services.contacthub.node.Node

    # class attributes are query paths; comparing one makes a criterion
    reveal_type(Customer.base.firstName)  # revealed: contacthub_like.query.paths.Path
    reveal_type(Customer.base.contacts.email)  # revealed: contacthub_like.query.paths.Path
    reveal_type(Customer.tags.manual)  # revealed: contacthub_like.query.paths.Path
    wayne = Customer.base.lastName == "Wayne"
    reveal_type(wayne)  # revealed: contacthub_like.query.criteria.Condition
    vips = node.query(Customer).filter(wayne & in_("vip", Customer.tags.manual))
    reveal_type(vips)  # revealed: contacthub_like.query.query.Query[contacthub_like.services.contacthub.entities.customer.Customer]
    listed = vips.order_by(Customer.base.firstName.desc()).all(prefetch=2)
    reveal_type(listed)  # revealed: contacthub_like.query.paginated.PaginatedList[contacthub_like.services.contacthub.entities.customer.Customer]
    reveal_type(vips.first())  # revealed: contacthub_like.services.contacthub.entities.customer.Customer | None
    reveal_type(vips.count())  # revealed: int

    for customer in listed:
        reveal_type(customer)  # revealed: contacthub_like.services.contacthub.entities.customer.Customer
        reveal_type(customer.id)  # revealed: str | None
        reveal_type(customer.enabled)  # revealed: bool | None
        reveal_type(customer.registeredAt)  # revealed: datetime.datetime | None
        # a section reads as its record class, so its own fields are typed too
        reveal_type(customer.base)  # revealed: contacthub_like.services.contacthub.entities.customer.CustomerBase
        reveal_type(customer.base.contacts.email)  # revealed: str | None
        reveal_type(customer.base.dob)  # revealed: datetime.date | None
        reveal_type(customer.base.address.geo.lat)  # revealed: float | None
        reveal_type(customer.base.jobs)  # revealed: list[contacthub_like.services.contacthub.entities.subresources.Job]
        reveal_type(customer.tags.manual)  # revealed: list[str]
        reveal_type(customer.extended)  # revealed: contacthub_like.orm.record.Properties
        # editing: a field, a section from a dict or Properties, a list in place
        email = customer.base.contacts.email
        if email is not None:
            customer.base.contacts.email = email.lower()
        customer.base.dob = datetime.date(1939, 5, 27)
        customer.base.dob = "1939-05-27"
        customer.base.address = Properties(city="Gotham")
        customer.base.socialProfile = {"twitter": "@wayne"}
        customer.tags.manual.append("seen")
        customer.extended.favouriteColour = "black"
        reveal_type(customer.patch())  # revealed: contacthub_like.services.contacthub.entities.customer.Customer

    bruce = node.get_customer(id="c-1")
    reveal_type(bruce)  # revealed: contacthub_like.services.contacthub.entities.customer.Customer
    reveal_type(bruce.base.jobs[0].companyName)  # revealed: str | None


async def contacthub_async(node_id: str) -> None:
    async with Workspace.local("hub.sqlite3") as workspace:
        node = workspace.get_node(node_id)
        waynes = node.query(Customer).filter(Customer.base.lastName == "Wayne")
        reveal_type(waynes.all_async(prefetch=4))  # revealed: contacthub_like.query.apaginated.AsyncPaginatedList[contacthub_like.services.contacthub.entities.customer.Customer]
        async for customer in waynes.all_async():
            reveal_type(customer)  # revealed: contacthub_like.services.contacthub.entities.customer.Customer
            reveal_type(customer.base.lastName)  # revealed: str | None
        reveal_type(await waynes.first_async())  # revealed: contacthub_like.services.contacthub.entities.customer.Customer | None
        bruce = await node.get_customer_async(external_id="bw-1")
        reveal_type(bruce)  # revealed: contacthub_like.services.contacthub.entities.customer.Customer
        reveal_type(await bruce.patch_async())  # revealed: contacthub_like.services.contacthub.entities.customer.Customer


def other_services() -> None:
    ion = StreamOne.local()
    for invoice in ion.query(IonInvoice).filter(IonInvoice.billingStartDate >= datetime.date(2024, 1, 1)):
        reveal_type(invoice)  # revealed: contacthub_like.services.streamone.entities.Invoice
        reveal_type(invoice.total)  # revealed: decimal.Decimal | None
        reveal_type(invoice.billingStartDate)  # revealed: datetime.date | None
        for line in invoice.lines:
            reveal_type(line.quantity)  # revealed: decimal.Decimal | None
            total: Decimal = line.quantity or Decimal(0)
            print(total)

    pbx = NetSapiens.local()
    session = pbx.send_message("sms", "Hello", "18585551234", from_number="1987654321")
    reveal_type(session)  # revealed: contacthub_like.services.netsapiens.messages.MessageSession
    reveal_type(session.remote)  # revealed: str | None
    for message in session.messages():
        reveal_type(message)  # revealed: contacthub_like.services.netsapiens.messages.Message
        reveal_type(message.text)  # revealed: str | None
        reveal_type(message.timestamp)  # revealed: datetime.datetime | None

    ci = CI360.local()
    audiences = CI360Audience.list(ci)
    reveal_type(audiences)  # revealed: contacthub_like.query.paginated.PaginatedList[contacthub_like.services.ci360.audiences.Audience]
    for audience in audiences:
        reveal_type(audience.name)  # revealed: str | None


async def streamone_async() -> None:
    async with StreamOne.local() as ion:
        reveal_type(await ion.get_async(IonInvoice, 1))  # revealed: contacthub_like.services.streamone.entities.Invoice
        reveal_type(ion.reports_async())  # revealed: contacthub_like.query.apaginated.AsyncPaginatedList[contacthub_like.services.streamone.entities.Report]
        report = await ion.get_async(IonReport, "12345")
        reveal_type(await report.csv_async("r.csv"))  # revealed: pathlib.Path
        reveal_type(await ion.product_async("p-1"))  # revealed: contacthub_like.services.streamone.entities.Product
        reveal_type(await ion.v1.invoice_file_urls_async(1))  # revealed: list[str]
        async for order in ion.customer_orders_async("12345"):
            reveal_type(await order.cancel_async())  # revealed: contacthub_like.services.streamone.entities.Order
