"""The one default timeout of every request the library makes (API calls, token requests)."""

#: (connect, read) seconds
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)
