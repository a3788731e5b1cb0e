"""``python -m contacthub_like``: the ``contacthub-like`` command."""

import sys

from .cli import main

sys.exit(main())
