"""Write ``customers.csv``: realistic, reproducible sample customers with their events.

    python examples/generate_customers.py [COUNT] [OUTPUT]

The headers are dotted customer paths, so ``contacthub-like import examples/customers.csv``
needs no column mapping; the ``events`` column holds a JSON list of events per customer.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FIRST = (
    "Alice Bruno Chiara Dario Elena Fabio Giulia Hugo Irene Jacopo Karin Luca Marta Nicola Olga Paolo "
    "Rita Sergio Teresa Ugo Valeria Walter Xenia Yuri Zoe Bruce Diana Clark Selina Barbara Alfred Lucius"
).split()
LAST = (
    "Rossi Bianchi Ferrari Esposito Romano Colombo Ricci Marino Greco Bruno Gallo Conti De Luca Mancini "
    "Costa Giordano Rizzo Lombardi Moretti Wayne Kent Prince Gordon Kyle Pennyworth Fox Müller Dubois"
).split()
CITIES = (
    ("Milano", "IT"),
    ("Roma", "IT"),
    ("Torino", "IT"),
    ("Napoli", "IT"),
    ("Bologna", "IT"),
    ("Paris", "FR"),
    ("Lyon", "FR"),
    ("Berlin", "DE"),
    ("München", "DE"),
    ("Madrid", "ES"),
    ("Barcelona", "ES"),
    ("London", "GB"),
    ("Gotham", "US"),
    ("Metropolis", "US"),
)
TAGS = ("vip", "newsletter", "b2b", "loyalty", "prospect", "churn-risk")
EVENTS = (
    ("viewedProduct", "WEB", lambda r: {"sku": f"SKU-{r.randint(1000, 9999)}", "price": r.randint(5, 500)}),
    (
        "addedProduct",
        "ECOMMERCE",
        lambda r: {"sku": f"SKU-{r.randint(1000, 9999)}", "quantity": r.randint(1, 4)},
    ),
    (
        "completedOrder",
        "ECOMMERCE",
        lambda r: {"orderId": f"O-{r.randint(10**5, 10**6)}", "total": r.randint(20, 900)},
    ),
    ("openedTicket", "CONTACT_CENTER", lambda r: {"subject": r.choice(("delivery", "refund", "account"))}),
    ("loggedIn", "MOBILE", lambda r: {}),
)
HEADERS = (
    "externalId",
    "base.firstName",
    "base.lastName",
    "base.contacts.email",
    "base.contacts.mobilePhone",
    "base.dob",
    "base.gender",
    "base.address.city",
    "base.address.country",
    "tags.manual",
    "events",
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def customers(count: int, seed: int = 42) -> Iterator[list[str]]:
    rnd = random.Random(seed)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    for n in range(1, count + 1):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        city, country = rnd.choice(CITIES)
        dob = dt.date(1950, 1, 1) + dt.timedelta(days=rnd.randint(0, 365 * 55))
        events: list[dict[str, Any]] = []
        for _ in range(rnd.randint(0, 3)):
            kind, context, props = rnd.choice(EVENTS)
            when = start + dt.timedelta(minutes=rnd.randint(0, 60 * 24 * 300))
            events.append(
                {
                    "type": kind,
                    "context": context,
                    "date": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "properties": props(rnd),
                }
            )
        yield [
            f"C{n:05d}",
            first,
            last,
            f"{_ascii(first)}.{_ascii(last)}{n}@example.com",
            f"+39 3{rnd.randint(10, 99)} {rnd.randint(100000, 999999)}" if rnd.random() < 0.7 else "",
            dob.isoformat(),
            rnd.choice(("female", "male", "")),
            city,
            country,
            "|".join(sorted(rnd.sample(TAGS, rnd.randint(0, 2)))),
            json.dumps(events, separators=(",", ":")) if events else "",
        ]


def write(path: Path, count: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADERS)
        writer.writerows(customers(count))


if __name__ == "__main__":
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).with_name("customers.csv")
    write(out, total)
    print(f"wrote {total} customers to {out}")
