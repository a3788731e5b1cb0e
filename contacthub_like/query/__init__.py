"""Queries: attribute paths, criteria, the compiler to the hub's JSON, and lazy result lists.

``from contacthub_like.query import in_, not_in_, between_`` gives the helpers the
original SDK offered in ``contacthub.models.query``.
"""

from .compiler import (
    EXCEPT,
    INTERSECT,
    UNION,
    Combination,
    build_params,
    compile_condition,
    compile_query,
    compile_sort,
    compile_where,
    normalize,
)
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
from .query import PageSource, Query

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
    "Not",
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
    "build_params",
    "compile_condition",
    "compile_query",
    "compile_sort",
    "compile_where",
    "in_",
    "normalize",
    "not_in_",
]
