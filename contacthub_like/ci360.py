"""SAS Customer Intelligence 360, the public face: ``from contacthub_like.ci360 import CI360, ...``.

::

    ci = CI360.from_ini_file("sasci360veloxpy.ini")   # or CI360.local(): the embedded emulator
    ExternalEvent(ci, eventName="cart_abandoned", customer_id="c-42", attributes={"sku": "A-1"}).post()
    TaskJob(ci, taskId="86e5d6c6-...").post().wait()

See ``docs/ci360.rst``.
"""

from __future__ import annotations

from .services.ci360 import *  # noqa: F403 - the connector's public names, listed in its __all__
from .services.ci360 import __all__ as __all__  # noqa: PLE0605
