"""Import paths of the original ContactHub SDK (``contacthub.models``), kept so its examples run unchanged.

New code can import the same names from :mod:`contacthub_like` directly.
"""

from ..entities import Customer, Education, Event, Job, Like, Subscription
from ..model import Properties

__all__ = ["Customer", "Education", "Event", "Job", "Like", "Properties", "Subscription"]
