"""The :class:`requests.Session` a transport owns: its pool, default headers and frozen environment.

Everything here runs once, when a transport is made, so that the send path
(:mod:`contacthub_like.http.sending`) has nothing left to compute per request.
"""

from __future__ import annotations

from collections.abc import Mapping

import requests
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase

__all__ = ["DEFAULT_USER_AGENT", "new_session", "freeze_environment"]


def _library_version() -> str:
    # The one stated version (also the distribution's, via setuptools' dynamic version):
    # right from a source tree too, where installed metadata may be absent or stale.
    from contacthub_like._version import __version__

    return __version__


DEFAULT_USER_AGENT = f"contacthub-like/{_library_version()}"


def new_session(pool_maxsize: int, headers: Mapping[str, str], auth: AuthBase | None) -> requests.Session:
    """A session with a pool of ``pool_maxsize`` connections per host that carries ``headers`` and ``auth``."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_maxsize=pool_maxsize)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update(headers)
    session.auth = auth
    return session


def freeze_environment(session: requests.Session, base_url: str) -> None:
    """Read the proxy and CA-bundle settings from the environment once, for every request to come.

    With ``trust_env`` on, requests scans the whole process environment for proxy
    variables on every call (about 0.2 ms, more than all of this library's own work per
    request). The settings that apply to the hub's URL (``HTTPS_PROXY``/``HTTP_PROXY``
    honouring ``NO_PROXY``, ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE``) are taken here
    and kept on the session; ``.netrc`` is not needed because the session has its own
    auth. Changing those variables later does not affect an existing Workspace.
    """
    settings = session.merge_environment_settings(base_url, {}, None, True, None)
    session.proxies.update(settings["proxies"])
    session.verify = settings["verify"]
    session.trust_env = False
