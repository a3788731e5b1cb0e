"""NetSapiens PBX API v2: messages, message sessions and event subscriptions, sync and async.

::

    from contacthub_like.netsapiens import NetSapiens, Message, MessageSession, Subscription

    pbx = NetSapiens.from_json_file("netsapiens.json")   # or NetSapiens.local(): the embedded emulator
    session = pbx.send_message("sms", "Hello", "18585551234", from_number="1987654321")
    session.send("again")                                # 202 Accepted is success

See ``docs/netsapiens.rst``.
"""

from __future__ import annotations

from .services.netsapiens import (
    DuplicateSubscription,
    Message,
    MessageSession,
    MessageType,
    NetSapiens,
    NetSapiensSettings,
    Subscription,
    SubscriptionModel,
    SubscriptionStatus,
)
from .services.netsapiens.webhooks import Event, WebhookReceiver

__all__ = [
    "NetSapiens",
    "NetSapiensSettings",
    "Message",
    "MessageSession",
    "MessageType",
    "Subscription",
    "SubscriptionModel",
    "SubscriptionStatus",
    "DuplicateSubscription",
    "Event",
    "WebhookReceiver",
]
