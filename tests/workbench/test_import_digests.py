"""A re-import recognises unchanged rows by their digests: what it reports and writes must
be exactly what comparing every row in full gives — a change in one cell found, a row
that says the same in other words (columns moved, spaces around values) unchanged, leads
without digests (imported before them) compared in full and given one. Each test runs with
the file read in this process and by the helper process (many small chunks)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from workbench import closed_loop
from workbench.imports import ImportFailed, Mapping, chunk_source, import_leads, row_digests
from workbench.imports.lead_writer import LeadWriter
from workbench.workbook import Workbook

from .files import downgraded
from .snapshot import dump
from .test_import_formats import write

MAPPING = Mapping(fields={"external_id": "ID", "created": "Created", "source": "Source",
                          "owner": "Owner", "amount": "Amount"},
                  stage_dates={"MQL": "MQL"}, date_format="iso")
HEADER = "ID,Created,Source,Owner,Amount,MQL\n"
ROWS = [f"L{i},2026-01-{1 + i % 28:02d} 09:00:00,Webinar,Ben,{i}00,"
        f"{'2026-02-01 10:00:00' if i % 3 == 0 else ''}\n" for i in range(40)]
SUMMARIES = ("lead_summary_cells", "lead_summary_hours")


@pytest.fixture(params=["here", "helper"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "helper":
        if not chunk_source.can_use_helper():
            pytest.skip("the helper process needs fork (Linux)")
        monkeypatch.setattr(chunk_source, "HELPER_BYTES", 0)
        monkeypatch.setattr(chunk_source, "CHUNK_ROWS", 3)
    else:
        monkeypatch.setattr(chunk_source, "HELPER_BYTES", 1 << 62)
    return str(request.param)


@pytest.fixture
def wb(tmp_path: Path) -> Workbook:
    workbook = Workbook.create(tmp_path / "digests.awb", "blank")
    import_leads(workbook, write(tmp_path, HEADER + "".join(ROWS), "first.csv"), MAPPING)
    return workbook


def digests(wb: Workbook) -> dict[str, bytes | None]:
    return dict(wb.db.conn.execute("SELECT external_id, row_digest FROM leads"))


def summaries_as_rebuilt(wb: Workbook) -> None:
    """The summaries the import kept are those a rebuild from the leads gives."""
    kept = {t: dump(wb)[t] for t in SUMMARIES}
    assert closed_loop.refresh(wb, force=True)
    assert {t: dump(wb)[t] for t in SUMMARIES} == kept


def test_every_imported_lead_keeps_the_digest_of_its_row(wb: Workbook) -> None:
    found = digests(wb)
    assert len(found) == 40 and all(len(d or b"") == 8 for d in found.values())
    assert len(set(found.values())) == 40


def test_a_digest_is_the_xxh3_of_the_row_seeded_by_the_key_as_stored_files_have_them(
        ) -> None:
    """Workbooks keep their digests from import to import: a row's is the 64-bit XXH3 of
    its cells joined by the unit separator (spelled out with repr when a cell holds the
    separator), seeded with the key's first 8 bytes, in XXH3's canonical (big-endian)
    form. The xxhash library gives XXH3's published sanity vectors."""
    import xxhash

    assert xxhash.xxh3_64_digest(b"").hex() == "2d06800538d394c2"  # xxHash's own vectors
    assert xxhash.xxh3_64_intdigest(b"", 0x9E3779B185EBCA8D) == 0xA8A6B918B2F0364A
    key = bytes(range(32))
    seed = int.from_bytes(key[:8], "little")
    rows = [["L1", "Zoë Müller", "李雷", ""], ["L2", "a\x1fb", "c"], ["L3", "😀 <b"]]
    expected = [xxhash.xxh3_64_intdigest("\x1f".join(rows[0]).encode(), seed),
                xxhash.xxh3_64_intdigest(repr(rows[1]).encode(), seed),
                xxhash.xxh3_64_intdigest("\x1f".join(rows[2]).encode(), seed)]
    as_bytes = [n.to_bytes(8, "big") for n in expected]
    assert row_digests.digests(key, rows[:1]) + row_digests.digests(key, rows[2:]) == \
        [as_bytes[0], as_bytes[2]]
    assert row_digests.digests(key, rows) == [
        xxhash.xxh3_64_intdigest(repr(row).encode(), seed).to_bytes(8, "big") for row in rows]
    assert row_digests.digests(key, [["L4", 3.5]]) == [None]  # a spreadsheet's number
    other = bytes(range(1, 33))  # another way of reading: other digests
    assert not set(row_digests.digests(other, rows)) & set(row_digests.digests(key, rows))


def test_the_same_file_again_is_unchanged_and_writes_nothing(reader: str, wb: Workbook,
                                                            tmp_path: Path) -> None:
    before = dump(wb)
    _, report = import_leads(wb, write(tmp_path, HEADER + "".join(ROWS)), MAPPING)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 40)
    after = dump(wb)
    assert {t: after[t] for t in ("leads", "lead_stage_dates", *SUMMARIES)} == \
        {t: before[t] for t in ("leads", "lead_stage_dates", *SUMMARIES)}


def test_one_cell_changed_is_found_and_written(reader: str, wb: Workbook,
                                               tmp_path: Path) -> None:
    rows = list(ROWS)
    rows[17] = rows[17].replace(",Ben,", ",Farah,")
    rows[30] = rows[30].replace("2026-02-01 10:00:00", "2026-02-02 10:00:00")  # a date only
    old = digests(wb)
    _, report = import_leads(wb, write(tmp_path, HEADER + "".join(rows)), MAPPING)
    assert (report.added, report.updated, report.unchanged) == (0, 2, 38)
    owners = dict(wb.db.conn.execute("SELECT external_id, owner FROM leads"))
    assert owners["L17"] == "Farah" and owners["L16"] == "Ben"
    mql = wb.funnel.stage_by_key("mql").id  # type: ignore[union-attr]
    assert wb.db.conn.execute("SELECT reached_at FROM lead_stage_dates l JOIN leads ON "
                              "leads.id = l.lead_id WHERE external_id = 'L30' AND stage_id = ?",
                              (mql,)).fetchone() == ("2026-02-02T10:00:00",)
    new = digests(wb)
    assert {k for k in new if new[k] != old[k]} == {"L17", "L30"}
    summaries_as_rebuilt(wb)
    _, again = import_leads(wb, write(tmp_path, HEADER + "".join(rows), "again.csv"), MAPPING)
    assert (again.updated, again.unchanged) == (0, 40)  # known by their new digests


def test_a_row_saying_the_same_in_other_words_is_unchanged(reader: str, wb: Workbook,
                                                           tmp_path: Path) -> None:
    """Columns in another order and spaces around values: other digests, the same values
    once read, so unchanged (as comparing in full says), and the digests kept for next
    time."""
    moved = "MQL,Amount,Owner,Source,Created,ID\n" + "".join(
        ",".join(f" {cell} " if cell and n % 2 else cell
                 for cell in reversed(row.rstrip("\n").split(","))) + "\n"
        for n, row in enumerate(ROWS))
    path = write(tmp_path, moved)
    before = dump(wb)["lead_summary_cells"]
    _, report = import_leads(wb, path, MAPPING)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 40)
    assert dump(wb)["lead_summary_cells"] == before
    _, again = import_leads(wb, path, MAPPING)
    assert again.unchanged == 40
    assert wb.undo_name == "Import leads"
    wb.undo()
    wb.undo()
    assert dump(wb)["lead_summary_cells"] == before


def test_leads_without_digests_are_compared_in_full_then_given_one(
        reader: str, wb: Workbook, tmp_path: Path) -> None:
    wb.db.conn.execute("UPDATE leads SET row_digest = NULL WHERE id % 2 = 0")
    wb.db.conn.commit()
    rows = list(ROWS)
    rows[4] = rows[4].replace(",Ben,", ",Farah,")  # a lead without a digest, changed
    _, report = import_leads(wb, write(tmp_path, HEADER + "".join(rows)), MAPPING)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 39)
    assert None not in digests(wb).values()
    summaries_as_rebuilt(wb)


def test_another_mapping_of_the_same_file_is_compared_in_full(reader: str, wb: Workbook,
                                                              tmp_path: Path) -> None:
    """The same cells read another way (decimal commas, which read these amounts the
    same): not the digests stored, so compared in full, and given new ones."""
    other = Mapping(fields=MAPPING.fields, stage_dates=MAPPING.stage_dates, date_format="iso",
                    decimal_comma=True)
    old = digests(wb)
    _, report = import_leads(wb, write(tmp_path, HEADER + "".join(ROWS)), other)
    assert (report.updated, report.unchanged) == (0, 40)
    assert all(digests(wb)[k] != old[k] for k in old)


def test_digests_an_earlier_version_stored_are_compared_in_full_and_replaced(
        reader: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook whose digests were made another way (the SHA-1 of reading "1"): the
    first re-import finds none of them, compares every row in full, changes no lead and
    gives each its new digest; the next finds them all."""
    with monkeypatch.context() as earlier:
        earlier.setattr(row_digests, "READING", "1")
        earlier.setattr(row_digests, "digests", _sha1_digests)
        wb = Workbook.create(tmp_path / "earlier.awb", "blank")
        import_leads(wb, write(tmp_path, HEADER + "".join(ROWS), "first.csv"), MAPPING)
    old, before = digests(wb), dump(wb)
    compared: list[int] = []
    writer_changed = LeadWriter._changed

    def counted(self: LeadWriter, update: list[Any], stored: dict[int, Any]) -> list[Any]:
        compared.extend(lead_id for lead_id, _, _ in update)
        return writer_changed(self, update, stored)

    monkeypatch.setattr(LeadWriter, "_changed", counted)
    _, report = import_leads(wb, write(tmp_path, HEADER + "".join(ROWS)), MAPPING)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 40)
    assert len(compared) == 40
    assert all(digests(wb)[k] not in (None, old[k]) for k in old)
    after = dump(wb)
    assert {t: after[t] for t in ("lead_stage_dates", *SUMMARIES)} == \
        {t: before[t] for t in ("lead_stage_dates", *SUMMARIES)}
    compared.clear()
    import_leads(wb, write(tmp_path, HEADER + "".join(ROWS), "again.csv"), MAPPING)
    assert compared == []  # every row set aside by its digest


def _sha1_digests(key: bytes, cells: list[list[Any]]) -> list[bytes | None]:
    """Digests as the version before XXH3 made them."""
    import hashlib

    return [hashlib.sha1(key + "\x1f".join(row).encode()).digest()[:8] for row in cells]


def test_an_unchanged_row_repeated_is_refused_as_a_repeated_id(reader: str, wb: Workbook,
                                                               tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "".join(ROWS) + ROWS[5])
    with pytest.raises(ImportFailed) as refused:
        import_leads(wb, path, MAPPING)
    problems = refused.value.problems
    assert [(p.line, p.value) for p in problems] == [(42, "L5")]
    assert "appears more than once" in problems[0].expected


def test_an_import_undone_and_redone_keeps_its_leads_and_digests(reader: str, wb: Workbook,
                                                                tmp_path: Path) -> None:
    rows = [r.replace(",Ben,", ",Farah,") if n % 4 == 0 else r for n, r in enumerate(ROWS)]
    before = dump(wb)
    import_leads(wb, write(tmp_path, HEADER + "".join(rows)), MAPPING)
    after = dump(wb)
    wb.undo()
    assert dump(wb)["leads"] == before["leads"]
    wb.redo()
    assert dump(wb)["leads"] == after["leads"]
    _, again = import_leads(wb, write(tmp_path, HEADER + "".join(rows), "again.csv"), MAPPING)
    assert (again.updated, again.unchanged) == (0, 40)


def test_a_workbook_from_before_digests_re_imports_right(reader: str, wb: Workbook,
                                                         tmp_path: Path) -> None:
    """Made by version 11, with leads and no digest column: migrated on opening, its leads
    compared in full on the next import and given digests."""
    from workbench import schema

    version = schema.MIGRATIONS.names.index("0012_row_digests")
    wb.close()
    old = tmp_path / "old.awb"
    downgraded(tmp_path / "digests.awb", old, version)
    with sqlite3.connect(old) as conn:
        assert "row_digest" not in [r[1] for r in conn.execute("PRAGMA table_info(leads)")]
    rows = list(ROWS)
    rows[9] = rows[9].replace(",Ben,", ",Farah,")
    with Workbook.open(old) as reopened:
        assert reopened.migrated_from == version
        _, report = import_leads(reopened, write(tmp_path, HEADER + "".join(rows)), MAPPING)
        assert (report.added, report.updated, report.unchanged) == (0, 1, 39)
        assert None not in digests(reopened).values()
        summaries_as_rebuilt(reopened)
