"""contacthub_like: an ORM-style, active-record client for ContactHub-style customer-data APIs.

    from contacthub_like import Workspace, Customer, in_

    node = Workspace.from_ini_file("hub.ini").get_node("node-1")
    vips = node.query(Customer).filter(in_("vip", Customer.tags.manual)).all()

``Workspace()`` without credentials connects to the embedded local hub.
"""

from .entities import (
    BringBackType,
    Customer,
    Education,
    Event,
    EventContext,
    EventMode,
    EventType,
    Job,
    Like,
    SchoolType,
    Subscription,
    SubscriptionKind,
    Timezone,
)
from .errors import (
    APIError,
    BadRequest,
    ConfigurationError,
    Conflict,
    ConnectionFailed,
    ContactHubError,
    Forbidden,
    InvalidType,
    InvalidValue,
    Locked,
    MethodNotAllowed,
    NotFound,
    OperationNotPermitted,
    RateLimited,
    RequestTimeout,
    RetriesExhausted,
    ServerError,
    TagNotFound,
    TransportError,
    Unauthorized,
    ValidationError,
)
from .model import Properties
from .query import Criterion, PaginatedList, Query, ReadOnlyList, between_, in_, not_in_
from .retry import Retry
from .throttle import TokenBucket
from .workspace import CustomerSession, Node, Workspace

__version__ = "0.1.0"

__all__ = [
    "APIError",
    "BadRequest",
    "BringBackType",
    "ConfigurationError",
    "Conflict",
    "ConnectionFailed",
    "ContactHubError",
    "Criterion",
    "Customer",
    "CustomerSession",
    "Education",
    "Event",
    "EventContext",
    "EventMode",
    "EventType",
    "Forbidden",
    "InvalidType",
    "InvalidValue",
    "Job",
    "Like",
    "Locked",
    "MethodNotAllowed",
    "Node",
    "NotFound",
    "OperationNotPermitted",
    "PaginatedList",
    "Properties",
    "Query",
    "RateLimited",
    "ReadOnlyList",
    "RequestTimeout",
    "Retry",
    "RetriesExhausted",
    "SchoolType",
    "ServerError",
    "Subscription",
    "SubscriptionKind",
    "TagNotFound",
    "Timezone",
    "TokenBucket",
    "TransportError",
    "Unauthorized",
    "ValidationError",
    "Workspace",
    "between_",
    "in_",
    "not_in_",
]
