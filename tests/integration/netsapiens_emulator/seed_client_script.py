"""Runs the README examples of netsapiens-asyncio (the seed client) against the emulator.

Usage: python seed_client_script.py CONFIG_JSON.  Prints one JSON object: each step's outcome
("ok" or the error) and what the test checks.  The seed hard-codes ``https://``; the emulator on
loopback is plain HTTP, so aiohttp's requests are pointed at ``http://`` (what a local TLS
terminator would do); nothing else of the seed is touched.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import aiohttp
from netsapiens_asyncio.auth import NetsapiensAPI
from netsapiens_asyncio.messages import MessageAPI
from netsapiens_asyncio.subscribe import SubscriptionAPI

_request = aiohttp.ClientSession._request


async def _plain_http(self: aiohttp.ClientSession, method: str, url: Any, **kwargs: Any) -> Any:
    return await _request(self, method, str(url).replace("https://", "http://", 1), **kwargs)


aiohttp.ClientSession._request = _plain_http  # type: ignore[method-assign]

SESSION = "valid_session_id_with_32_or_more_characters_1234"


async def main(config_path: str) -> dict[str, Any]:
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    auth_config = dict(config, base_url=config["base_url"].split("://", 1)[1])  # the seed's bare-host form
    out: dict[str, Any] = {}

    async def step(name: str, call: Any) -> Any:
        try:
            result = await call
        except Exception as exc:  # the seed raises bare Exception for every failure
            out[name] = f"error: {exc}"
            return None
        out[name] = "ok"
        return result

    auth = NetsapiensAPI(auth_config)
    token = await step("get_token", auth.get_token())
    out["scope"] = token and token["scope"]
    messages = MessageAPI(auth)
    sms = {"message_type": "sms", "destination": "1234567890", "from_number": "1987654321"}
    sent = await step(
        "send_new_session", messages.send_message(message="Hello, this is a test message!", **sms)
    )
    out["sent_text"] = sent and sent["text"]
    await step(
        "send_existing_session", messages.send_message(message="Follow-up", messagesession=SESSION, **sms)
    )
    mms = await step(
        "send_mms",
        messages.send_message(
            message_type="mms",
            message="Here's a photo!",
            destination=["1234567890", "1987654321"],
            from_number="1234567899",
            data="base64_encoded_image_data",
            mime_type="image/jpeg",
            size=204800,
        ),
    )
    out["mms_size"] = mms and mms["media-size"]
    sessions = await step("get_sessions_domain", messages.get_messages(domain="testdomain.com", limit=50))
    out["session_ids"] = sessions and [s["messagesession-id"] for s in sessions]
    await step("get_sessions_user", messages.get_messages(domain="2132560400.com", user="103"))
    in_session = await step(
        "get_session_messages",
        messages.get_messages(messagesession=SESSION, domain="testdomain.com", user="123"),
    )
    out["in_session_texts"] = in_session and [m["text"] for m in in_session]
    readme = await step(
        "get_readme_session_messages",
        messages.get_messages(
            messagesession="2d51df1810812ace8d138a2558d0bd79", domain="testdomain.com", user="123"
        ),
    )
    out["readme_session_texts"] = readme and [m["text"] for m in readme]

    subs = SubscriptionAPI(auth)
    created = await step(
        "create_subscription",
        subs.create_subscription(
            model="message",
            post_url="https://example.com/callback",
            subscription_geo_support="yes",
            domain="company.com",
            user="101",
            preferred_server="core1.nms-server.com",
        ),
    )
    sub_id = created["id"] if created else "missing"
    await step("read_subscription", subs.read_subscription(subscription_id=sub_id))
    await step("read_subscriptions", subs.read_subscription())
    await step("update_subscription", subs.update_subscription(subscription_id=sub_id, model="cdr"))
    after = await subs.read_subscription(subscription_id=sub_id)
    out["updated_model"] = after["model"]
    await step("delete_subscription", subs.delete_subscription(subscription_id=sub_id))
    auth.token_data["expires_at"] = "2000-01-01 00:00:00"  # make the seed run its refresh grant
    await step("refresh", auth.check_token_expiry())
    await step("after_refresh", messages.get_messages(limit=1))
    return out


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))))
