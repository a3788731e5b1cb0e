"""Queries: attribute paths, criteria, their normal form, paging strategies and lazy result lists.

``from contacthub_like.query import in_, not_in_, between_`` gives the helpers the
original SDK offered in ``contacthub.models.query``.
"""

from .combination import EXCEPT, INTERSECT, UNION, Combination, Where, normalize
from .criteria import (
    EMPTY,
    ComplexOperators,
    Composite,
    Condition,
    Criterion,
    Not,
    Path,
    SimpleOperators,
    SortKey,
    all_of,
    any_of,
    between_,
    in_,
    not_in_,
)
from .paginated import PageInfo, PaginatedList, ReadOnlyList
from .paging import NextLinks, NumberedPages, OffsetLimit, Page, PageTokens, PagingStrategy
from .query import PageSource, Query, QuerySource

__all__ = [
    "EMPTY",
    "EXCEPT",
    "INTERSECT",
    "UNION",
    "Combination",
    "ComplexOperators",
    "Composite",
    "Condition",
    "Criterion",
    "NextLinks",
    "Not",
    "NumberedPages",
    "OffsetLimit",
    "Page",
    "PageTokens",
    "PagingStrategy",
    "QuerySource",
    "Where",
    "PageInfo",
    "PageSource",
    "PaginatedList",
    "Path",
    "Query",
    "ReadOnlyList",
    "SimpleOperators",
    "SortKey",
    "all_of",
    "any_of",
    "between_",
    "in_",
    "normalize",
    "not_in_",
]
