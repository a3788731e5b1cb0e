"""The emulator's tables in the shared SQLite file; every name starts with ``netsapiens_``.

Times are stored as POSIX seconds (``REAL``) so expiry checks are plain comparisons; the
wire formats (``YYYY-MM-DD HH:MM:SS`` for messages, ISO-8601 for subscriptions) are made
at the edge by :mod:`.clock`.
"""

from __future__ import annotations

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS netsapiens_domains (
        domain TEXT PRIMARY KEY,
        reseller TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        time_zone TEXT NOT NULL DEFAULT 'America/New_York',
        created REAL NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS netsapiens_users (
        domain TEXT NOT NULL REFERENCES netsapiens_domains(domain),
        user TEXT NOT NULL,
        first_name TEXT NOT NULL DEFAULT '',
        last_name TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        scope TEXT NOT NULL DEFAULT 'Basic User',
        department TEXT NOT NULL DEFAULT '',
        login TEXT NOT NULL,
        salt TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        sms_numbers TEXT NOT NULL DEFAULT '[]',
        created REAL NOT NULL,
        PRIMARY KEY (domain, user)
    )""",
    "CREATE UNIQUE INDEX IF NOT EXISTS netsapiens_users_login ON netsapiens_users(login)",
    """CREATE TABLE IF NOT EXISTS netsapiens_clients (
        client_id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL,
        created REAL NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS netsapiens_tokens (
        hash TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
        domain TEXT NOT NULL,
        user TEXT NOT NULL,
        client_id TEXT NOT NULL,
        expires REAL NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS netsapiens_tokens_expires ON netsapiens_tokens(expires)",
    """CREATE TABLE IF NOT EXISTS netsapiens_sessions (
        domain TEXT NOT NULL,
        user TEXT NOT NULL,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        name TEXT,
        participants TEXT,
        remote TEXT,
        sms_number TEXT,
        started REAL NOT NULL,
        last REAL NOT NULL,
        last_message TEXT,
        last_sender TEXT,
        last_type TEXT,
        last_media_type TEXT,
        last_media_size INTEGER,
        seq INTEGER NOT NULL,
        PRIMARY KEY (domain, user, id)
    )""",
    "CREATE INDEX IF NOT EXISTS netsapiens_sessions_recent ON netsapiens_sessions(domain, last DESC, seq"
    " DESC)",
    """CREATE TABLE IF NOT EXISTS netsapiens_messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        session_id TEXT NOT NULL,
        domain TEXT NOT NULL,
        user TEXT NOT NULL,
        type TEXT NOT NULL,
        direction TEXT NOT NULL,
        from_number TEXT,
        from_user_id TEXT,
        text TEXT NOT NULL,
        dialed TEXT,
        terminating_user_id TEXT,
        terminating_number TEXT,
        participants TEXT,
        status TEXT NOT NULL,
        media_type TEXT,
        media_size INTEGER,
        media_data TEXT,
        created REAL NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS netsapiens_messages_session ON netsapiens_messages(domain, user,"
    " session_id, seq)",
    """CREATE TABLE IF NOT EXISTS netsapiens_subscriptions (
        id TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        post_url TEXT NOT NULL,
        geo_support TEXT NOT NULL,
        user_scope TEXT NOT NULL,
        reseller TEXT NOT NULL,
        domain TEXT NOT NULL,
        user TEXT NOT NULL,
        preferred_server TEXT,
        status TEXT NOT NULL DEFAULT 'pending',
        error_count INTEGER NOT NULL DEFAULT 0,
        posts_count INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        created REAL NOT NULL,
        expires REAL NOT NULL,
        owner_domain TEXT NOT NULL,
        owner_user TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS netsapiens_subscriptions_model ON netsapiens_subscriptions(model, expires)",
)
