"""Pure helpers for change tracking: copying JSON trees, diffing them, applying merge patches.

The hub applies PATCH bodies as a JSON merge patch (objects merge key by key,
``null`` removes, arrays are replaced whole), so :func:`dict_diff` produces
exactly such a patch and :func:`apply_merge_patch` is its inverse, which the
property tests use to prove ``apply(old, diff(old, new)) == new``.
"""

from __future__ import annotations

from typing import Any

from ..jsonmerge import apply_merge_patch, copy_json

__all__ = ["copy_json", "dict_diff", "apply_merge_patch"]


def dict_diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The merge patch that turns ``old`` into ``new``.

    A key missing from ``new`` becomes ``null`` (or ``[]`` where it held a list, as
    the hub expects for array fields); keys absent or null on both sides are left out.
    """
    out: dict[str, Any] = {}
    for key, value in new.items():
        if key not in old:
            out[key] = value
            continue
        before = old[key]
        if before == value:
            continue
        if isinstance(value, dict) and isinstance(before, dict):
            out[key] = dict_diff(before, value)
        else:
            out[key] = value
    for key, before in old.items():
        if key in new or before is None or before == []:
            continue
        out[key] = [] if isinstance(before, list) else None
    return out
