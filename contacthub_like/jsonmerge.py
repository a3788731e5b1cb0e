"""JSON trees: a fast deep copy and RFC 7386 merge patches, for the client's tracker and the sandbox alike.

Pure functions on dicts, lists and scalars; nothing here knows an API.
"""

from __future__ import annotations

from typing import Any

__all__ = ["apply_merge_patch", "copy_json"]


def copy_json(value: Any) -> Any:
    """Deep copy of a JSON tree (dicts, lists, scalars): much faster than ``copy.deepcopy``."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value


def apply_merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 merge patch, returning a new tree (``target`` is not modified)."""
    if not isinstance(patch, dict):
        return copy_json(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = apply_merge_patch(result.get(key), value)
    return result
