"""``contacthub_like.model``: the ORM core under its earlier name, plus the entities the original
documentation imported from it (``from contacthub_like.model import Education``)."""

from ..orm import *  # noqa: F403
from ..orm import __all__ as _orm_names
from ..services.contacthub.entities import Customer, Education, Event, Job, Like, Subscription

__all__ = [*_orm_names, "Customer", "Education", "Event", "Job", "Like", "Subscription"]
