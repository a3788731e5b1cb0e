"""Import paths of earlier releases and of the original ContactHub SDK, kept so existing code runs.

:data:`MODULE_ALIASES` maps each old module path to the module that now holds its code;
:func:`install` teaches the import system to resolve the old path to that very module, so
``import contacthub_like.retry`` and ``import contacthub_like.http.retry`` give one object.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType

MODULE_ALIASES: dict[str, str] = {
    "contacthub_like.model": "contacthub_like.compat.model",
    "contacthub_like.models": "contacthub_like.compat.models",
    "contacthub_like.models.query": "contacthub_like.compat.models.query",
    "contacthub_like.entities": "contacthub_like.services.contacthub.entities",
    "contacthub_like.workspace": "contacthub_like.services.contacthub.workspace",
    "contacthub_like.config": "contacthub_like.services.contacthub.settings",
    "contacthub_like.transport": "contacthub_like.http.transport",
    "contacthub_like.retry": "contacthub_like.http.retry",
    "contacthub_like.throttle": "contacthub_like.http.throttle",
    "contacthub_like.auth": "contacthub_like.http.auth",
    "contacthub_like.files": "contacthub_like.http.files",
}


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.target)

    def exec_module(self, module: ModuleType) -> None:
        """The target module is already executed; the old name just points at it."""


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        new = MODULE_ALIASES.get(fullname) or _submodule_alias(fullname)
        if new is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(new))


def _submodule_alias(fullname: str) -> str | None:
    """``contacthub_like.entities.customer`` follows its package's alias."""
    head, _, tail = fullname.rpartition(".")
    new_head = MODULE_ALIASES.get(head)
    return f"{new_head}.{tail}" if new_head else None


def install() -> None:
    """Resolve the old module paths from now on (idempotent)."""
    if not any(isinstance(finder, _AliasFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder())
