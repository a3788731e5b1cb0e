"""Sphinx configuration for the contacthub_like documentation.

Build with ``sphinx-build -n -W -b html docs docs/_build``: nitpicky (every
cross-reference must resolve) and warnings are errors. Only Sphinx's built-in
extensions and the default theme are used.

Links to the Python and requests documentation come from intersphinx. Each
inventory is fetched from its site first; where that cannot be reached (an
offline machine, or CI that reaches package registries only) the copy in
``_inventories/`` is used instead (Python 3.11's and requests 2.28's, from
Debian's python3.11-doc and python-requests-doc), so the build gives the same
links and no warning either way.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from docutils.nodes import Element, TextElement
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.domains.python import PythonDomain
    from sphinx.environment import BuildEnvironment

# Import the package from this source tree, installed or not.
sys.path.insert(0, os.path.abspath(".."))

import contacthub_like  # noqa: E402

project = "contacthub_like"
author = "contacthub_like contributors"
copyright = "contacthub_like contributors"
release = contacthub_like.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
]

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", (None, "_inventories/python.inv")),
    "requests": ("https://requests.readthedocs.io/en/latest", (None, "_inventories/requests.inv")),
}
intersphinx_timeout = 5

exclude_patterns = ["_build"]
root_doc = "index"
language = "en"

# autodoc: document what the public API says about itself, in source order.
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {
    "show-inheritance": True,
}

html_theme = "alabaster"
html_title = f"contacthub_like {release}"


# Names that stay unlinked on purpose, each with why:
nitpick_ignore = [
    # internal helpers a docstring of Transport.request mentions; not part of the API
    ("py:func", "quote_segment"),
    ("py:func", "build_path"),
    ("py:func", "contacthub_like.wire.dumps"),
    # the hub's own storage class, internal to the embedded hub
    ("py:class", "contacthub_like.sandbox.store.Store"),
    # cachetools publishes no inventory that this build can read offline
    ("py:class", "cachetools.TLRUCache"),
    # Event.from_dict's docstring compares it with Customer's patch; an event has none
    ("py:meth", "patch"),
    # protocols of the seam that only type-check arguments (no page of their own)
    ("py:class", "contacthub_like.orm.verbs.EntitySession"),
    ("py:class", "EntitySession"),
    ("py:class", "contacthub_like.sandbox.emulators.Emulator"),
    ("py:mod", "contacthub_like.sandbox"),
    # the criteria classes documented under their public names only
    ("py:class", "contacthub_like.query.criteria.Not"),
    ("py:class", "Not"),
    ("py:func", "error_from_response"),
    ("py:meth", "request"),
    # filelock publishes no inventory this build can read offline
    ("py:mod", "filelock"),
    # mixins Session and Transport are assembled from; their members are documented on those classes
    ("py:class", "contacthub_like.service.listing.ListingMixin"),
    ("py:class", "contacthub_like.service.queries.QueryingMixin"),
    ("py:class", "contacthub_like.http.sending.SendPath"),
]
nitpick_ignore_regex = [
    # type variables (E, I, T, Self, ~P) and private helpers (_Target) have no page of their own
    ("py:(class|obj)", r"~?(contacthub_like(\.\w+)*\.)?([A-Z]|Self|_\w+)"),
]

#: annotation names that come from another library, written bare in the source
_ALIASES = {"AuthBase": "requests.auth.AuthBase"}


def _resolve_short_names(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: TextElement
) -> Element | None:
    """Link a bare or re-exported name to the one documented object it can mean.

    Annotations under ``from __future__ import annotations`` reach Sphinx as written,
    without their module (``Throttle``, ``Timeout``), and some docstrings name an object
    by a path it is re-exported under (``contacthub_like.query.Query``) or by class and
    member (``Query.order_by``). Such a name is linked when exactly one documented object
    of the package ends with it; anything ambiguous stays unresolved, so nitpicky mode
    still reports it.
    """
    from sphinx.ext import intersphinx

    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"]
    if target in _ALIASES:
        node["reftarget"] = _ALIASES[target]
        return intersphinx.missing_reference(app, env, node, contnode)
    # a re-export path is matched by its last part; a bare or partial name (Query.order_by) as a suffix
    suffix = "." + (target.rsplit(".", 1)[-1] if target.startswith("contacthub_like.") else target)
    domain = cast("PythonDomain", env.get_domain("py"))
    matches = [
        name
        for name, entry in domain.objects.items()
        if name.startswith("contacthub_like.") and not entry.aliased and name.endswith(suffix)
    ]
    if len(matches) != 1:
        return None
    return domain.resolve_xref(env, node["refdoc"], app.builder, "obj", matches[0], node, contnode)


def setup(app: Sphinx) -> None:
    app.connect("missing-reference", _resolve_short_names)
