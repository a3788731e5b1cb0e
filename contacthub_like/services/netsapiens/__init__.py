"""The NetSapiens PBX API v2 connector (public names in :mod:`contacthub_like.netsapiens`)."""

from __future__ import annotations

from .client import NetSapiens
from .config import NetSapiensSettings
from .messages import Message, MessageSession, MessageType
from .service import DuplicateSubscription
from .subscriptions import Subscription, SubscriptionModel, SubscriptionStatus

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
]
