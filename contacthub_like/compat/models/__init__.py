"""Import paths of the original ContactHub SDK (``contacthub.models``), kept so its examples run unchanged.

New code can import the same names from :mod:`contacthub_like` directly.
"""

from ...orm import Properties
from ...services.contacthub.entities import Customer, Education, Event, Job, Like, Subscription

__all__ = ["Customer", "Education", "Event", "Job", "Like", "Properties", "Subscription"]
