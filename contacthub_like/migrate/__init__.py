"""Moving records in and out of a hub: bulk import with upserts, exports as streams, checkpoints, rejects.

    from contacthub_like.migrate import bulk_import, read_file, Checkpoint, RejectsFile

    summary = bulk_import(node, read_file("customers.csv"), workers=8)
    print(summary)  # 1000 records: 990 created, 0 updated, 0 unchanged, 10 rejected in 4.2 s

    preview = bulk_import(node, read_file("customers.csv"), dry_run=True)  # the same summary, reads only

``node.bulk(records)`` is the same call; ``await node.bulk_async(records, concurrency=32)``
(:func:`bulk_import_async`) runs it on an event loop. The ``contacthub-like import/export/query/migrate``
commands are built on these functions.
"""

from .bulk import MAX_CONCURRENCY, MAX_WORKERS, BulkInterrupted, bulk_import, bulk_import_async
from .checkpoint import Checkpoint, RejectsFile
from .export import (
    DEFAULT_CSV_FIELDS,
    export_customers,
    export_query,
    project,
    write_csv,
    write_jsonl,
    write_parquet,
)
from .records import MATCH_KEYS, MatchKey, Outcome, RecordResult, SourceRecord, Summary
from .repeat import RecordRetry
from .sources import ColumnMapping, count_records, read_csv, read_file, read_jsonl
from .where import WhereError, parse_where
from .writer import RecordRejected, write_record

__all__ = [
    "DEFAULT_CSV_FIELDS",
    "MATCH_KEYS",
    "MAX_WORKERS",
    "MatchKey",
    "BulkInterrupted",
    "Checkpoint",
    "ColumnMapping",
    "Outcome",
    "RecordRejected",
    "RecordResult",
    "RecordRetry",
    "RejectsFile",
    "SourceRecord",
    "Summary",
    "WhereError",
    "bulk_import",
    "bulk_import_async",
    "MAX_CONCURRENCY",
    "count_records",
    "export_customers",
    "export_query",
    "parse_where",
    "project",
    "read_csv",
    "read_file",
    "read_jsonl",
    "write_csv",
    "write_jsonl",
    "write_parquet",
    "write_record",
]
