"""CSV exports round-trip any text and never hand a spreadsheet a formula."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from contacthub_like.migrate.export import write_csv
from contacthub_like.migrate.formulas import FORMULA_STARTS, restore

FIELDS = ["externalId", "base.firstName", "base.lastName"]
# any text, with the characters that break CSV writers and spreadsheets made likely
texts = st.text(alphabet=st.sampled_from("=+-@\t\r\n\",'; a\x00é") | st.characters(), max_size=12)
rows = st.lists(st.tuples(texts, texts, texts), max_size=6)


def export(values: list[tuple[str, str, str]], **options: bool) -> list[list[str]]:
    out = io.StringIO(newline="")
    docs = [dict(zip(FIELDS, row, strict=True)) for row in values]
    assert write_csv(docs, out, FIELDS, **options) == len(values)
    return list(csv.reader(io.StringIO(out.getvalue(), newline="")))


@given(rows)
def test_raw_export_reads_back_as_the_same_values(values: list[tuple[str, str, str]]) -> None:
    back = export(values, neutralise_formulas=False)
    assert back[0] == FIELDS
    assert [tuple(r) for r in back[1:]] == values


@given(rows)
def test_default_export_neutralises_formulas_and_the_importer_undoes_it(
    values: list[tuple[str, str, str]],
) -> None:
    back = export(values)
    assert len(back) == len(values) + 1
    assert not any(c.startswith(FORMULA_STARTS) for r in back[1:] for c in r)
    assert [tuple(restore(c) for c in r) for r in back[1:]] == values


def test_known_injection_payloads_are_written_as_text() -> None:
    payloads = [
        '=HYPERLINK("http://x","y")',
        "=1+1",
        "+1+1",
        "-1+1",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "=cmd|' /C calc'!A0",
        "'=1+1",
    ]
    back = export([(p, "", "") for p in payloads])
    assert [r[0] for r in back[1:]] == ["'" + p for p in payloads]


def test_an_export_imports_back_with_its_original_values(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from contacthub_like.migrate import read_csv

    docs = [{"externalId": "-7", "base": {"firstName": "=Bruce", "lastName": "'Wayne", "contacts": {}}}]
    fields = ["externalId", "base.firstName", "base.lastName"]
    path = tmp_path / "out.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        write_csv(docs, out, fields)
    assert path.read_text(encoding="utf-8").splitlines()[1] == "'-7,'=Bruce,''Wayne"
    (record,) = list(read_csv(path))
    assert record.data == {"externalId": "-7", "base": {"firstName": "=Bruce", "lastName": "'Wayne"}}
