"""Administration of a hub database: workspaces, nodes, tokens, matching policy.

Used by ``contacthub-like hub init`` and by the embedded default.  Tokens are random,
shown once, and stored only as SHA-256 hashes; the default token is also kept in a
``0600`` sidecar file next to the database so later runs can reuse it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import uuid
from pathlib import Path
from typing import NamedTuple

from .store import MATCH_POLICIES, Store, resolve_db_path
from .timefmt import now_hub
from .tokens import hash_token

DEFAULT_WS_KEY = "default_workspace"
DEFAULT_NODE_KEY = "default_node"


class DefaultCredentials(NamedTuple):
    workspace_id: str
    node_id: str
    token: str


def create_workspace(
    store: Store, name: str = "", *, workspace_id: str | None = None, match_policy: str = "externalId"
) -> str:
    if match_policy not in MATCH_POLICIES:
        raise ValueError(f"match_policy must be one of {', '.join(MATCH_POLICIES)}, got {match_policy!r}")
    ws = workspace_id or str(uuid.uuid4())
    store.execute(
        "INSERT INTO workspaces(id, name, match_policy, created_at) VALUES (?, ?, ?, ?)",
        (ws, name, match_policy, now_hub()),
    )
    return ws


def create_node(store: Store, workspace_id: str, name: str = "", *, node_id: str | None = None) -> str:
    node = node_id or str(uuid.uuid4())
    store.execute(
        "INSERT INTO nodes(id, ws, name, created_at) VALUES (?, ?, ?, ?)",
        (node, workspace_id, name, now_hub()),
    )
    return node


def issue_token(store: Store, workspace_id: str, label: str = "") -> str:
    """Create a new bearer token for a workspace; only its hash is stored, so keep the return value."""
    token = secrets.token_urlsafe(32)
    store.execute(
        "INSERT INTO tokens(hash, ws, label, created_at) VALUES (?, ?, ?, ?)",
        (hash_token(token), workspace_id, label, now_hub()),
    )
    return token


def create_api_user(store: Store, workspace_id: str, username: str, password: str) -> None:
    """An API user of a workspace, for the token endpoint's password grant (``POST /oauth/token``)."""
    from .resources import oauth

    if not username or not password:
        raise ValueError("an API user needs a non-empty username and password")
    store.ensure_schema(oauth.SCHEMA)
    salt = secrets.token_hex(16)
    store.execute(
        "INSERT INTO api_users(username, ws, salt, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
        (username, workspace_id, salt, oauth.hash_password(password, salt), now_hub()),
    )


def revoke_token(store: Store, token: str) -> bool:
    return store.execute("DELETE FROM tokens WHERE hash = ?", (hash_token(token),)).rowcount > 0


def set_match_policy(store: Store, workspace_id: str, policy: str) -> None:
    """``externalId`` (default), ``email`` or ``none``: which field makes a POSTed customer a duplicate."""
    if policy not in MATCH_POLICIES:
        raise ValueError(f"match policy must be one of {', '.join(MATCH_POLICIES)}, got {policy!r}")
    store.execute("UPDATE workspaces SET match_policy = ? WHERE id = ?", (policy, workspace_id))


def token_file(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".token")


def _read_sidecar(path: Path) -> str | None:
    with contextlib.suppress(OSError):
        return path.read_text("utf-8").strip() or None
    return None


def _write_sidecar(path: Path, token: str) -> None:
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(token + "\n")
    os.chmod(path, 0o600)


def default_credentials(store: Store) -> DefaultCredentials:
    """Default workspace, node and token of an open store, created on first use."""
    with store.transaction():
        ws = store.get_meta(DEFAULT_WS_KEY)
        if ws is None:
            ws = create_workspace(store, "default")
            store.set_meta(DEFAULT_WS_KEY, ws)
        node = store.get_meta(DEFAULT_NODE_KEY)
        if node is None:
            node = create_node(store, ws, "default")
            store.set_meta(DEFAULT_NODE_KEY, node)
        sidecar = token_file(store.path)
        token = _read_sidecar(sidecar)
        if token is None or store.scalar("SELECT ws FROM tokens WHERE hash = ?", (hash_token(token),)) != ws:
            token = issue_token(store, ws, "default")
            _write_sidecar(sidecar, token)
    return DefaultCredentials(ws, node, token)


def ensure_default_credentials(db_path: str | os.PathLike[str] | None = None) -> DefaultCredentials:
    """Open (or create) the hub database and return its default workspace id, node id and a usable token."""
    with Store(resolve_db_path(db_path)) as store:
        return default_credentials(store)
