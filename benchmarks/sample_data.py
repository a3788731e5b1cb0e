"""Realistic customer documents, shaped exactly as the hub returns them (every key present)."""

from __future__ import annotations

import random
import uuid

FIRST = ["Bruce", "Diana", "Clark", "Selina", "Alfred", "Barbara", "Dick", "Harvey", "Pamela", "Oswald"]
LAST = ["Wayne", "Prince", "Kent", "Kyle", "Pennyworth", "Gordon", "Grayson", "Dent", "Isley", "Cobblepot"]
CITIES = ["Milan", "Rome", "Turin", "Naples", "Bologna", "Florence", "Genoa", "Venice"]


def customer_document(i: int, rng: random.Random, node_id: str = "node-1") -> dict:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    stamp = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:{rng.randint(0, 59):02d}:00.000+0000"
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128))),
        "nodeId": node_id,
        "externalId": f"ext-{i:07d}",
        "extra": None,
        "registeredAt": stamp,
        "updatedAt": stamp,
        "enabled": True,
        "base": {
            "pictureUrl": None,
            "title": None,
            "prefix": None,
            "firstName": first,
            "lastName": last,
            "middleName": None,
            "gender": rng.choice(["male", "female", None]),
            "dob": f"19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "locale": "it_IT",
            "timezone": "Europe/Rome",
            "contacts": {
                "email": f"{first.lower()}.{last.lower()}{i}@example.com",
                "fax": None,
                "mobilePhone": f"+39 3{rng.randint(10, 99)} {rng.randint(1000000, 9999999)}",
                "phone": None,
                "otherContacts": [],
                "mobileDevices": [],
            },
            "address": {
                "street": f"Via Roma {rng.randint(1, 200)}",
                "city": rng.choice(CITIES),
                "country": "Italy",
                "province": None,
                "region": None,
                "zip": f"{rng.randint(10000, 99999)}",
                "geo": {"lat": round(rng.uniform(36, 47), 4), "lon": round(rng.uniform(6, 18), 4)},
            },
            "credential": None,
            "socialProfile": None,
            "educations": [],
            "likes": [],
            "jobs": [
                {
                    "id": "job-1",
                    "companyIndustry": "retail",
                    "companyName": "ACME",
                    "jobTitle": "clerk",
                    "startDate": "2015-01-01",
                    "endDate": None,
                    "isCurrent": True,
                }
            ],
            "subscriptions": [],
        },
        "extended": {
            "loyaltyPoints": rng.randint(0, 5000),
            "segment": rng.choice(["gold", "silver", "bronze"]),
        },
        "consents": None,
        "tags": {"auto": ["newsletter"], "manual": rng.sample(["vip", "b2b", "churn-risk", "promo"], k=2)},
    }


def customers_page(count: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    elements = [customer_document(i, rng) for i in range(count)]
    return {
        "elements": elements,
        "page": {
            "size": count,
            "totalElements": count,
            "totalUnfilteredElements": count,
            "totalPages": 1,
            "number": 0,
        },
    }
