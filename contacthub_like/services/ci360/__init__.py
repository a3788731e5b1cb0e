"""SAS Customer Intelligence 360: gateway events, audiences, execution jobs and data tables.

The public names are re-exported by :mod:`contacthub_like.ci360`; see ``docs/ci360.rst``.
"""

from __future__ import annotations

from .audiences import Audience, AudienceUpload
from .client import CI360, TOKEN_BY_API
from .config import TenantSettings, read_ini
from .data import CustomerJob, IdentityRecord, ImportRequestJob, Table
from .events import IDENTITY_KEYS, ExternalEvent
from .execution import Occurrence, ResponseTrackingCode, SegmentMapJob, TaskJob
from .jobs import Job, JobFailed
from .wire import CI360_SERVICE, THROTTLED_ERROR_CODE, SasError

__all__ = [
    "CI360",
    "CI360_SERVICE",
    "IDENTITY_KEYS",
    "THROTTLED_ERROR_CODE",
    "TOKEN_BY_API",
    "Audience",
    "AudienceUpload",
    "CustomerJob",
    "ExternalEvent",
    "IdentityRecord",
    "ImportRequestJob",
    "Job",
    "JobFailed",
    "Occurrence",
    "ResponseTrackingCode",
    "SasError",
    "SegmentMapJob",
    "Table",
    "TaskJob",
    "TenantSettings",
    "read_ini",
]
