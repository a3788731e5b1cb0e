"""Drive the original ContactHub Python SDK (contacthub-sdk-python 0.2) against a hub.

Runs in its own virtualenv (see test_original_sdk.py), so it only uses that SDK and the standard library.

Usage: python original_sdk_script.py BASE_URL WORKSPACE_ID TOKEN NODE_ID  (BASE_URL ends in /workspaces)
Prints one JSON object with what it saw; exits non-zero on the first failure.
"""

import datetime
import json
import sys
import uuid

from contacthub import Workspace
from contacthub.models import Customer, Event, Properties
from contacthub.models.query import between_, in_

base_url, workspace_id, token, node_id = sys.argv[1:5]
workspace = Workspace(workspace_id=workspace_id, token=token, base_url=base_url)
node = workspace.get_node(node_id)
out = {}
suffix = uuid.uuid4().hex[:8]

# create (the SDK's own template, then add_customer)
customer = Customer(
    node=node,
    externalId="sdk-" + suffix,
    base=Properties(
        firstName="Mario",
        lastName="Rossi",
        dob="1994-06-10",
        contacts=Properties(email=f"mario.{suffix}@example.com"),
    ),
)
customer.post()
created = node.get_customer(external_id="sdk-" + suffix)
assert isinstance(created, Customer), created
out["created_id"] = created.id
second = node.add_customer(
    externalId="sdk2-" + suffix,
    base={"firstName": "Luigi", "dob": "2001-01-01"},
    tags={"auto": [], "manual": ["sdk-" + suffix]},
)
out["second_id"] = second.id

# get by id
fetched = node.get_customer(id=created.id)
assert fetched.base.firstName == "Mario", fetched.to_dict()

# query: equality, IN on a list attribute, BETWEEN with datetimes on a date field, combined
found = node.query(Customer).filter(Customer.base.firstName == "Mario").all()
out["query_equals"] = sorted(c.id for c in found if c.externalId and c.externalId.endswith(suffix))
tagged = node.query(Customer).filter(in_("sdk-" + suffix, Customer.tags.manual)).all()
out["query_in"] = [c.id for c in tagged]
dob = (
    node.query(Customer)
    .filter(between_(Customer.base.dob, datetime.datetime(1994, 6, 10), datetime.datetime(1994, 6, 11)))
    .all()
)
out["query_between"] = sorted(c.id for c in dob if c.externalId and c.externalId.endswith(suffix))
q1 = node.query(Customer).filter(Customer.externalId == "sdk-" + suffix)
q2 = node.query(Customer).filter(Customer.externalId == "sdk2-" + suffix)
out["query_union"] = sorted(c.id for c in (q1 | q2).all())

# patch through the mutation tracker, then read back
fetched.base.firstName = "Marius"
fetched.base.contacts.phone = "+39 06 1234"
fetched.patch()
patched = node.get_customer(id=created.id)
assert patched.base.firstName == "Marius" and patched.base.lastName == "Rossi", patched.to_dict()
out["patched_first_name"] = patched.base.firstName
node.add_tag(created.id, "sdk-tag")
out["tags"] = list(node.get_customer(id=created.id).tags.manual)

# full update (PUT)
patched.base.lastName = "Bianchi"
patched.put()
out["put_last_name"] = node.get_customer(id=created.id).base.lastName

# 409 + force update
forced = node.add_customer(externalId="sdk-" + suffix, base={"middleName": "Forced"}, force_update=True)
out["forced_id"] = forced.id

# sub-resources
node.add_job(
    created.id, id="job-1", companyName="ACME", jobTitle="dev", startDate="2015-01-01", isCurrent=True
)
job = node.get_customer_job(created.id, "job-1")
out["job_company"] = job.companyName

# sessions and events
session_id = node.create_session_id()
node.add_customer_session(created.id, session_id)
Event(
    node=node,
    customerId=created.id,
    type=Event.TYPES.VIEWED_PAGE,
    context=Event.CONTEXTS.WEB,
    properties=Properties(title="home"),
).post()
Event(
    node=node,
    bringBackProperties=Properties(type="SESSION_ID", value=session_id),
    type="searched",
    context="WEB",
    properties={},
).post()
events = node.get_events(customer_id=created.id)
out["event_types"] = sorted(e.type for e in events)

# delete
node.delete_customer(second.id)
created_obj = node.get_customer(id=created.id)
created_obj.delete()
out["deleted"] = True
print(json.dumps(out))
