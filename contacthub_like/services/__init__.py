"""The APIs this library speaks, one sub-package each, all on the same core."""
