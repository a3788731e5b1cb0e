"""Checking for the ``hub`` extra before anything needs it, with one clear message.

The embedded hub serves HTTP with Starlette and uvicorn, installed by
``pip install 'contacthub-like[hub]'``.  Without them, ``Workspace()``,
``Workspace.local()``, ``hub serve`` and the commands that fall back to the embedded hub
raise :class:`~contacthub_like.errors.ConfigurationError` saying what to install, instead
of a ``ModuleNotFoundError`` from deep inside the server.
"""

from __future__ import annotations

import importlib

from ..errors import ConfigurationError

__all__ = ["HUB_PACKAGES", "require_hub_extra"]

#: what the embedded hub imports that the client alone does not
HUB_PACKAGES = ("starlette", "uvicorn")


def require_hub_extra(what: str = "the embedded local hub") -> None:
    """Raise ConfigurationError naming the missing packages when the ``hub`` extra is not installed."""
    missing = []
    for name in HUB_PACKAGES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise ConfigurationError(
            f"{what} needs the 'hub' extra ({', '.join(missing)} not installed): "
            "pip install 'contacthub-like[hub]'; or connect to a remote hub with settings "
            "(workspace_id, token, base_url)"
        )
