"""The library's version, stated once.

setuptools reads this literal without importing the package (``[tool.setuptools.dynamic]``
in pyproject.toml), ``contacthub_like.__version__`` re-exports it, and the transport's
User-Agent names it, so a source tree, an editable install and a wheel all agree.
"""

__version__ = "0.1.0"
