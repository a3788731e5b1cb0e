"""ContactHub: workspaces, nodes, customers and their items, events, audiences and invoices."""

from .entities import *  # noqa: F403
from .entities import __all__ as _entity_names
from .workspace import CustomerSession, Node, Workspace

__all__ = [*_entity_names, "CustomerSession", "Node", "Workspace"]
