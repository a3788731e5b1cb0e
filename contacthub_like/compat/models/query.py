"""``contacthub.models.query`` of the original SDK: the filter helpers and the query classes."""

from ...query import Criterion, Query, between_, in_, not_in_

__all__ = ["Criterion", "Query", "between_", "in_", "not_in_"]
