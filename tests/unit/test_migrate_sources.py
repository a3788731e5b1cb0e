"""Readers and bookkeeping files: every input record comes out once, good or with the reason it is bad."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contacthub_like import InvalidValue
from contacthub_like.migrate import (
    Checkpoint,
    ColumnMapping,
    Outcome,
    RecordResult,
    RejectsFile,
    SourceRecord,
    count_records,
    read_csv,
    read_file,
    read_jsonl,
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_rows_become_nested_documents_through_the_mapping(tmp_path: Path) -> None:
    csv_file = write(
        tmp_path / "in.csv",
        "Customer code,E-mail,Tags,Enabled,Events,internal note,base.dob\n"
        'K1,bruce@wayne.test,vip|gold,yes,"[{""type"":""loggedIn"",""context"":""WEB""}]",x,1980-04-17\n',
    )
    mapping = ColumnMapping(
        {
            "Customer code": "externalId",
            "E-mail": "base.contacts.email",
            "Tags": "tags.manual",
            "Enabled": "enabled",
            "Events": "events",
            "internal note": None,
        }
    )
    [record] = list(read_csv(csv_file, mapping))
    assert record.error is None
    assert record.data == {
        "externalId": "K1",
        "base": {"contacts": {"email": "bruce@wayne.test"}, "dob": "1980-04-17"},
        "tags": {"manual": ["vip", "gold"]},
        "enabled": True,
        "events": [{"type": "loggedIn", "context": "WEB"}],
    }
    assert (record.key, record.line) == ("2", 2)
    assert record.source.startswith("K1,bruce@wayne.test")


def test_bad_rows_carry_their_line_source_and_reason(tmp_path: Path) -> None:
    csv_file = write(
        tmp_path / "in.csv",
        "externalId,base.firstName,enabled,shoeSize,extended\n"
        "A1,Ann,true,,\n"  # line 2: fine (empty unknown column is no data)
        "A2,Bob\n"  # line 3: too few fields
        "A3,Cid,maybe,,\n"  # line 4: not a boolean
        "A4,Dan,true,44,\n"  # line 5: data in an unknown column
        '"A5","multi\nline",true,,\n'  # lines 6-7: a quoted newline is one record
        "A6,Eve,false,,{oops\n"  # line 8: broken JSON for an object
        "\n"  # blank line: skipped
        "A7,Fay,false,,\n",  # line 10
    )
    records = list(read_csv(csv_file))
    by_key = {r.key: r for r in records}
    assert [r.key for r in records] == ["2", "3", "4", "5", "6", "8", "10"]
    assert by_key["2"].error is None and by_key["2"].data == {
        "externalId": "A1",
        "base": {"firstName": "Ann"},
        "enabled": True,
    }
    assert "expected 5 fields" in by_key["3"].error and by_key["3"].source == "A2,Bob"
    assert "expected true or false" in by_key["4"].error
    assert "'shoeSize'" in by_key["5"].error and "mapping" in by_key["5"].error
    assert (
        by_key["6"].data["base"]["firstName"] == "multi\nline"
        and by_key["6"].source == '"A5","multi\nline",true,,'
    )
    assert "not valid JSON" in by_key["8"].error
    assert by_key["10"].error is None
    assert count_records(csv_file) == 7


def test_text_that_looks_like_json_stays_text_in_text_fields(tmp_path: Path) -> None:
    csv_file = write(tmp_path / "in.csv", "externalId,base.firstName,extended.note\nK1,[Bob],{not json}\n")
    [record] = list(read_csv(csv_file))
    assert record.data == {
        "externalId": "K1",
        "base": {"firstName": "[Bob]"},
        "extended": {"note": "{not json}"},
    }


def test_jsonl_lines_that_are_not_objects_are_kept_as_errors(tmp_path: Path) -> None:
    jl = write(tmp_path / "in.jsonl", '{"externalId": "J1"}\n[1, 2]\n\n{broken\n{"externalId": "J2"}\n')
    records = list(read_jsonl(jl))
    assert [(r.key, r.error is None) for r in records] == [
        ("1", True),
        ("2", False),
        ("4", False),
        ("5", True),
    ]
    assert "expected a JSON object" in records[1].error and records[2].source == "{broken"
    assert count_records(jl) == 4


def test_mapping_file_errors_are_refused_up_front(tmp_path: Path) -> None:
    good = write(tmp_path / "m.json", json.dumps({"columns": {"Mail": "base.contacts.email", "skip": None}}))
    assert ColumnMapping.load(good).columns == {"Mail": "base.contacts.email", "skip": None}
    with pytest.raises(InvalidValue, match="JSON object"):
        ColumnMapping.load(write(tmp_path / "bad.json", '{"Mail": 3}'))
    with pytest.raises(InvalidValue, match="cannot read"):
        ColumnMapping.load(tmp_path / "missing.json")
    with pytest.raises(InvalidValue, match="format"):
        list(read_file(write(tmp_path / "data.txt", "x"), None))
    with pytest.raises(InvalidValue, match="CSV files only"):
        read_file(write(tmp_path / "d.jsonl", "{}"), None, ColumnMapping({"a": "externalId"}))


def result(key: str, outcome: Outcome, reason: str | None = None) -> RecordResult:
    return RecordResult(SourceRecord(key, source=f"row {key}", line=int(key)), outcome, reason)


def test_checkpoint_resumes_counts_and_ignores_a_torn_last_line(tmp_path: Path) -> None:
    path = tmp_path / "run.checkpoint"
    with Checkpoint(path, source="/data/in.csv") as cp:
        cp.record(result("2", Outcome.CREATED))
        cp.record(result("3", Outcome.REJECTED, "bad"))
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"key": "4", "outc')  # the process died mid-write
    with Checkpoint(path, source="/data/in.csv", resume=True) as cp:
        assert cp.done == {"2": Outcome.CREATED, "3": Outcome.REJECTED}
        assert (cp.summary().created, cp.summary().rejected) == (1, 1)
        cp.record(result("4", Outcome.UPDATED))
    with Checkpoint(path, source="/data/in.csv", resume=True) as cp:
        assert cp.done["4"] is Outcome.UPDATED
    with pytest.raises(InvalidValue, match="belongs to"):
        Checkpoint(path, source="/data/other.csv", resume=True)
    with Checkpoint(path, source="/data/other.csv") as cp:  # without resume: start afresh
        assert cp.done == {}


@pytest.mark.parametrize(
    "left", ["", '{"checkpoint": 1, "sou', '{"checkpoint": 1, "source": "/data/in.csv"}']
)
def test_a_checkpoint_killed_before_its_header_was_complete_holds_nothing_yet(
    tmp_path: Path, left: str
) -> None:
    path = tmp_path / "run.checkpoint"
    path.write_text(left, encoding="utf-8")  # what a kill at that moment leaves behind
    with Checkpoint(path, source="/data/in.csv", resume=True) as cp:
        assert cp.done == {}
        cp.record(result("1", Outcome.CREATED))
    with Checkpoint(path, source="/data/in.csv", resume=True) as cp:
        assert cp.done == {"1": Outcome.CREATED}


def test_a_single_line_that_is_no_checkpoint_header_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("externalId,base.firstName", encoding="utf-8")  # a file given as --checkpoint by mistake
    with pytest.raises(InvalidValue, match="not a checkpoint file"):
        Checkpoint(path, source="/data/in.csv", resume=True)
    assert path.read_text(encoding="utf-8") == "externalId,base.firstName"


def test_a_fresh_checkpoint_appears_whole_or_not_at_all(tmp_path: Path, monkeypatch) -> None:
    from contacthub_like.migrate import checkpoint as module

    path = tmp_path / "run.checkpoint"
    with Checkpoint(path, source="/data/in.csv") as cp:
        cp.record(result("1", Outcome.CREATED))
    before = path.read_text(encoding="utf-8")

    def killed(*args: object) -> None:
        raise KeyboardInterrupt  # the process dies between writing the new header and renaming it

    monkeypatch.setattr(module.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        Checkpoint(path, source="/data/in.csv")
    assert path.read_text(encoding="utf-8") == before  # the old checkpoint is intact, never empty
    assert [p.name for p in tmp_path.iterdir()] == ["run.checkpoint"]  # no temporary file left


def test_checkpoint_lines_are_synced_at_a_bounded_rate(tmp_path: Path, monkeypatch) -> None:
    from contacthub_like.migrate import checkpoint as module

    syncs: list[int] = []
    real = module.os.fsync
    monkeypatch.setattr(module.os, "fsync", lambda fd: (syncs.append(fd), real(fd)))
    with Checkpoint(tmp_path / "run.checkpoint", source="s") as cp:
        start = len(syncs)
        for n in range(200):
            cp.record(result(str(n + 1), Outcome.CREATED))
        assert len(syncs) - start <= 2  # not one fsync per record
    assert len(syncs) - start >= 1  # closing syncs what is left


def test_rejects_file_is_created_on_the_first_reject_only(tmp_path: Path) -> None:
    path = tmp_path / "rejects.jsonl"
    with RejectsFile(path):
        pass
    assert not path.exists()
    with RejectsFile(path) as rejects:
        rejects.record(result("7", Outcome.REJECTED, "base.dob 'x' is not a date"))
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "line": 7,
        "key": "7",
        "reason": "base.dob 'x' is not a date",
        "source": "row 7",
    }
