"""contacthub_like: an ORM-style, active-record client for ContactHub-style customer-data APIs.

    from contacthub_like import Workspace, Customer, in_

    node = Workspace.from_ini_file("hub.ini").get_node("node-1")
    vips = node.query(Customer).filter(in_("vip", Customer.tags.manual)).all()

``Workspace()`` without credentials connects to the embedded local hub.
"""

from .compat import install as _install_old_import_paths
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
    PreconditionFailed,
    RateLimited,
    RequestTimeout,
    RequestTooLarge,
    RetriesExhausted,
    ServerError,
    TagNotFound,
    TransportError,
    Unauthorized,
    UploadFailed,
    ValidationError,
    WaitTimeout,
)
from .http.retry import Retry
from .http.throttle import TokenBucket
from .orm import Properties
from .query import Criterion, PaginatedList, Query, ReadOnlyList, between_, in_, not_in_
from .services.contacthub.entities import (
    Audience,
    AudienceSource,
    AudienceStatus,
    AudienceUpload,
    BringBackType,
    Customer,
    Education,
    Event,
    EventContext,
    EventMode,
    EventType,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Job,
    Like,
    SchoolType,
    Subscription,
    SubscriptionKind,
    Timezone,
    UploadKey,
    UploadMode,
    UploadReject,
    UploadStatus,
)
from .services.contacthub.workspace import CustomerSession, Node, Workspace

_install_old_import_paths()

__version__ = "0.1.0"

__all__ = [
    "APIError",
    "Audience",
    "AudienceSource",
    "AudienceStatus",
    "AudienceUpload",
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
    "Invoice",
    "InvoiceLine",
    "InvoiceStatus",
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
    "PreconditionFailed",
    "RateLimited",
    "RequestTooLarge",
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
    "UploadFailed",
    "UploadKey",
    "UploadMode",
    "UploadReject",
    "UploadStatus",
    "ValidationError",
    "WaitTimeout",
    "Workspace",
    "between_",
    "in_",
    "not_in_",
]
