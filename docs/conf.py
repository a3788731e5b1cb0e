"""Sphinx configuration for the contacthub_like documentation.

Build with ``sphinx-build -W -b html docs docs/_build`` (warnings are errors).
Only Sphinx's built-in extensions and the default theme are used, so the
documentation builds offline with nothing but Sphinx installed.
"""

from __future__ import annotations

import os
import sys

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
    "sphinx.ext.viewcode",
]

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
