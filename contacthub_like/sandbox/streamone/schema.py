"""The emulator's tables in the shared SQLite file; every name starts with ``streamone_``.

Fields the v1 filters compare (ids, dates, amounts) are real columns so SQLite compares them by
type; the many descriptive v3 fields live in a JSON ``doc`` column.  Amounts are decimal strings
compared through the store's ``hub_dec`` function (millionths), so ``"100"`` equals ``"100.00"``.
Secrets (API secrets, tokens) are stored only as SHA-256 hashes.
"""

from __future__ import annotations

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS streamone_api_keys (
        api_key TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL,
        account_id TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS streamone_tokens (
        hash TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
        account_id TEXT NOT NULL,
        expires_at REAL NOT NULL,
        used_at REAL,
        partner TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS streamone_groups (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        name TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS streamone_customers (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        company TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        group_id INTEGER,
        language_code TEXT NOT NULL DEFAULT 'EN',
        status TEXT NOT NULL DEFAULT 'ACTIVE',
        doc TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS streamone_customers_account ON streamone_customers(account_id, id)",
    """CREATE TABLE IF NOT EXISTS streamone_invoices (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        customer_id INTEGER,
        number TEXT NOT NULL,
        source TEXT NOT NULL,
        period TEXT NOT NULL,
        status TEXT NOT NULL,
        currency TEXT NOT NULL,
        billing_start_date TEXT NOT NULL,
        billing_end_date TEXT NOT NULL,
        issue_date TEXT NOT NULL,
        cloud_used TEXT NOT NULL,
        subtotal TEXT NOT NULL,
        tax TEXT NOT NULL,
        total TEXT NOT NULL
    )""",
    """CREATE UNIQUE INDEX IF NOT EXISTS streamone_invoices_period
        ON streamone_invoices(account_id, IFNULL(customer_id, 0), source, period)""",
    """CREATE TABLE IF NOT EXISTS streamone_invoice_lines (
        id INTEGER PRIMARY KEY,
        invoice_id INTEGER NOT NULL REFERENCES streamone_invoices(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        product_name TEXT NOT NULL,
        description TEXT NOT NULL,
        quantity TEXT NOT NULL,
        unit_price TEXT NOT NULL,
        cost TEXT NOT NULL,
        amount TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS streamone_invoice_lines_invoice"
    " ON streamone_invoice_lines(invoice_id, position)",
    """CREATE TABLE IF NOT EXISTS streamone_subscriptions (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        customer_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        doc TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS streamone_subscriptions_account ON streamone_subscriptions(account_id, seq)",
    """CREATE TABLE IF NOT EXISTS streamone_orders (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        customer_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        doc TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS streamone_products (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        doc TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS streamone_reports (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        module TEXT NOT NULL,
        doc TEXT NOT NULL
    )""",
)
