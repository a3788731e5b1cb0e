"""HTTP only: the connection pool, timeouts, retries, throttling, auth strategies and redaction.

Nothing here knows an API's paths, envelopes or entities: a service hands the transport
its error decoder and its write semantics.
"""
