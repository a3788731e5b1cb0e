"""``contacthub-like hub init``, ``hub api-user`` and ``hub serve``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError
from .extra import require_hub_extra
from .store import MATCH_POLICIES, resolve_db_path


def register(subparsers: Any) -> None:
    hub = subparsers.add_parser("hub", help="run and administer the embedded local hub")
    hub_sub = hub.add_subparsers(dest="hub_command", metavar="ACTION")
    hub_sub.required = True

    init = hub_sub.add_parser(
        "init", help="create the default workspace, node and token; print them or write an INI"
    )
    init.add_argument("--db", help="hub database file (default: $CONTACTHUB_LIKE_HOME/hub.sqlite3)")
    init.add_argument("--ini", help="write workspace_id, token, base_url and node_id to this INI file")
    init.add_argument(
        "--base-url", default=None, help="base_url written to the INI file (default: http://127.0.0.1:PORT)"
    )
    init.add_argument("--port", type=int, default=8000, help="port the hub will be served on (default 8000)")
    init.add_argument(
        "--service-configs",
        metavar="DIR",
        help="seed every emulated API's demo data and write ready-to-use configuration files for each "
        "service (hub.ini, and the files the other services' SDKs read) into DIR",
    )
    init.add_argument(
        "--new-token", action="store_true", help="issue a fresh token instead of the default one"
    )
    init.add_argument(
        "--match-policy",
        choices=MATCH_POLICIES,
        help="which field makes a new customer a duplicate (default: externalId)",
    )
    init.set_defaults(func=_init)

    user = hub_sub.add_parser(
        "api-user",
        help="create an API user for the OAuth2 token endpoint (POST /oauth/token); "
        "the password is read from standard input",
    )
    user.add_argument("username")
    user.add_argument("--db", help="hub database file (default: $CONTACTHUB_LIKE_HOME/hub.sqlite3)")
    user.set_defaults(func=_api_user)

    serve = hub_sub.add_parser("serve", help="serve the hub API over HTTP in the foreground")
    serve.add_argument("--db", help="hub database file (default: $CONTACTHUB_LIKE_HOME/hub.sqlite3)")
    serve.add_argument(
        "--create",
        action="store_true",
        help="create the --db file's directory when it does not exist (otherwise that is an error)",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--access-token-ttl",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="lifetime of the access tokens POST /oauth/token issues (default 3600)",
    )
    faults = serve.add_argument_group(
        "fault injection",
        "make the hub misbehave on purpose, to test retries; rates are fractions of requests (0..1). "
        "Set $CONTACTHUB_LIKE_HUB_ADMIN_TOKEN to also enable GET/PUT /admin/faults for that bearer token.",
    )
    faults.add_argument("--latency-ms", type=float, default=0.0, help="milliseconds added to every request")
    for kind, what in (
        ("429", "answered 429 Too Many Requests with Retry-After"),
        ("500", "answered 500"),
        ("503", "answered 503 with Retry-After"),
        ("drop", "dropped before they are handled"),
        ("drop-after-commit", "handled (writes committed), then dropped without an answer"),
    ):
        faults.add_argument(f"--fault-rate-{kind}", type=float, default=0.0, metavar="RATE", help=what)
    faults.add_argument(
        "--fault-retry-after", type=float, default=1.0, metavar="SECONDS", help="Retry-After (default 1)"
    )
    faults.add_argument("--fault-seed", type=int, default=None, help="seed for a reproducible fault sequence")
    serve.set_defaults(func=_serve)


def _error(message: object) -> int:
    print(f"contacthub-like: error: {message}", file=sys.stderr)
    return 2


def existing_db(db: str | None, option: str = "--db", *, create: bool = False) -> Path:
    """The database path of ``db``, refusing a path whose directory does not exist.

    A typo in ``--db`` would otherwise create directories and an empty hub that answers
    everything with "not found".  ``hub init`` (and ``hub serve --create``) create it on purpose;
    the default location is always created.
    """
    path = resolve_db_path(db)
    if db is not None and not create and not path.parent.is_dir():
        raise ConfigurationError(
            f"{option} {db!r}: the directory {str(path.parent)!r} does not exist; check the path, "
            "create the directory, or run `contacthub-like hub init --db PATH` to make a new hub there"
        )
    return path


def _init(args: argparse.Namespace) -> int:
    from . import admin
    from .store import Store

    path = resolve_db_path(args.db)
    with Store(path) as store:
        creds = admin.default_credentials(store)
        token = admin.issue_token(store, creds.workspace_id, "cli") if args.new_token else creds.token
        if args.match_policy:
            admin.set_match_policy(store, creds.workspace_id, args.match_policy)
    base_url = (args.base_url or f"http://127.0.0.1:{args.port}").rstrip("/")
    ini_text = (
        f"workspace_id = {creds.workspace_id}\n"
        f"token = {token}\n"
        f"base_url = {base_url}\n"
        f"node_id = {creds.node_id}\n"
    )
    if args.service_configs:
        try:
            require_hub_extra("seeding the emulated APIs (--service-configs)")
        except ConfigurationError as exc:
            return _error(exc)
        from .emulators import seed_all

        config_dir = Path(args.service_configs)
        config_dir.mkdir(parents=True, exist_ok=True)
        write_private_file(config_dir / "hub.ini", ini_text)
        with Store(path) as store:
            written = seed_all(store, base_url=base_url, config_dir=config_dir)
        for file in [config_dir / "hub.ini", *written]:
            print(f"wrote {file}")
    if args.ini:
        ini = Path(args.ini)
        write_private_file(ini, ini_text)
        print(f"wrote {ini} (database {path})")
    elif args.service_configs:
        print(f"database: {path}")
    else:
        print(f"database: {path}")
        print(f"workspace_id: {creds.workspace_id}")
        print(f"node_id: {creds.node_id}")
        print(f"token: {token}")
    return 0


def write_private_file(path: Path, text: str) -> None:
    """Write a file only its owner can read: configuration files hold secrets."""
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def _api_user(args: argparse.Namespace) -> int:
    import getpass
    import sqlite3

    from . import admin
    from .store import Store

    try:  # before asking for the password: a wrong path should not cost the user a typed secret
        path = existing_db(args.db)
    except ConfigurationError as exc:
        return _error(exc)
    if sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.username}: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        print(
            'no password given: pipe it in, e.g. `printf %s "$PW" | contacthub-like hub api-user NAME`',
            file=sys.stderr,
        )
        return 2
    with Store(path) as store:
        creds = admin.default_credentials(store)
        try:
            admin.create_api_user(store, creds.workspace_id, args.username, password)
        except sqlite3.IntegrityError:
            print(f"an API user named {args.username!r} already exists", file=sys.stderr)
            return 1
    print(f"created API user {args.username} in workspace {creds.workspace_id}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    try:
        require_hub_extra("hub serve")
        path = existing_db(args.db, create=args.create)
    except ConfigurationError as exc:
        return _error(exc)
    from ..errors import ContactHubError
    from .faults import ADMIN_TOKEN_ENV, FaultConfig
    from .server import serve

    try:
        faults = FaultConfig(
            latency=args.latency_ms / 1000.0,
            rate_429=args.fault_rate_429,
            rate_500=args.fault_rate_500,
            rate_503=args.fault_rate_503,
            rate_drop=args.fault_rate_drop,
            rate_drop_after_commit=args.fault_rate_drop_after_commit,
            retry_after=args.fault_retry_after,
            seed=args.fault_seed,
        )
    except ContactHubError as exc:
        print(f"invalid fault settings: {exc}", file=sys.stderr)
        return 2
    admin_token = os.environ.get(ADMIN_TOKEN_ENV, "").strip() or None
    if not args.access_token_ttl > 0:
        print(
            f"--access-token-ttl must be a positive number of seconds, got {args.access_token_ttl}",
            file=sys.stderr,
        )
        return 2
    print(f"serving the hub on http://{args.host}:{args.port}, database {path}", file=sys.stderr)
    serve(
        path,
        host=args.host,
        port=args.port,
        faults=faults,
        admin_token=admin_token,
        access_token_ttl=args.access_token_ttl,
    )
    return 0
