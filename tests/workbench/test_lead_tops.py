"""The first leads of each descending order, kept by the imports (`lead_tops`): after any
import, re-import, undo, redo or removal, each column's list is exactly the first leads
SQLite's own ORDER BY gives, or out of date and so unused; and the leads table's first
page of such a sort comes from it without reading every lead. Lists are kept short here
(`KEEP` = 7) and files read a few rows at a time, so every path of the merging runs."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest

from workbench import lead_order, lead_tops
from workbench.imports import Mapping, chunk_source, import_leads
from workbench.lead_order import OrderRequest
from workbench.lead_order import _Stop as Stop
from workbench.leads import LeadFilter
from workbench.workbook import Workbook

from .test_import_formats import write

MAPPING = Mapping(fields={"external_id": "ID", "created": "Created", "source": "Source",
                          "campaign": "Campaign", "owner": "Owner", "company": "Company",
                          "score": "Score", "first_touch": "First touch", "amount": "Amount",
                          "won": "Won", "lost": "Lost"},
                  stage_dates={}, date_format="iso")
HEADER = "ID,Created,Source,Campaign,Owner,Company,Score,First touch,Amount,Won,Lost\n"
NAMES = ["", "", "Zoë Müller", "李雷", "Ana", "ana", "Émile", "😀 Team", "<b>Acme", "Z",
         "Åsa", "Bob", "Bob "[:3]]
MAPPED = ("campaign", "owner", "company", "score", "first_touch_at", "amount", "won_at",
          "lost_at")


@pytest.fixture(params=["here", "helper"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(lead_tops, "KEEP", 7)
    # Read here, chunks hold more rows than a list; in the helper, fewer.
    monkeypatch.setattr(chunk_source, "CHUNK_ROWS", 4 if request.param == "helper" else 20)
    if request.param == "helper":
        if not chunk_source.can_use_helper():
            pytest.skip("the helper process needs fork (Linux)")
        monkeypatch.setattr(chunk_source, "HELPER_BYTES", 0)
    else:
        monkeypatch.setattr(chunk_source, "HELPER_BYTES", 1 << 62)
    return str(request.param)


def row(rng: random.Random, lead: int, drop: frozenset[int] = frozenset()) -> str:
    def maybe(value: str) -> str:
        return value if rng.random() < 0.7 else ""

    day = f"2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)}"
    cells = [
        f"L{lead}", f"{day} 09:00:00", rng.choice(["Webinar", "Ads"]), rng.choice(NAMES),
        rng.choice(NAMES), rng.choice(NAMES), maybe(str(rng.randint(0, 5))),
        maybe(f"{day} 1{rng.randint(0, 9)}:00:00"), maybe(str(rng.choice([0, 5, 5, 120, 7e6]))),
        maybe(f"{day} 12:00:00"), maybe(f"{day} 13:00:00")]
    return ",".join(c for i, c in enumerate(cells) if i not in drop) + "\n"


def export(tmp_path: Path, rng: random.Random, leads: list[int], name: str,
           mapping: Mapping = MAPPING) -> Path:
    """The leads' rows, with only the columns `mapping` reads."""
    headers = HEADER.strip().split(",")
    drop = frozenset(i for i, h in enumerate(headers) if h not in mapping.fields.values())
    text = ",".join(h for i, h in enumerate(headers) if i not in drop) + "\n"
    return write(tmp_path, text + "".join(row(rng, lead, drop) for lead in leads), name)


def lists(wb: Workbook) -> dict[str, tuple[Any, list[int]]]:
    """Each stored list: (its floor, its lead ids), with the stamp checked current."""
    conn = wb.db.conn
    stored = dict(conn.execute("SELECT sort, floor FROM lead_top_lists WHERE stamp = ?",
                               (lead_tops.stamp(conn),)))
    assert set(stored) == {name for name, _, _ in lead_tops.LISTS}, "the lists are out of date"
    return {name: (stored[name], [r[0] for r in conn.execute(
        "SELECT lead_id FROM lead_tops WHERE sort = ? ORDER BY lead_id", (name,))])
        for name, _, _ in lead_tops.LISTS}


def assert_exact(wb: Workbook) -> dict[str, tuple[Any, list[int]]]:
    """Each list holds every lead whose value is above its floor (an ascending list:
    below its ceiling, blank ones included), as SQLite compares them, and no other; at
    most twice `KEEP` of them."""
    conn = wb.db.conn
    found = lists(wb)
    for name, column, down in lead_tops.LISTS:
        floor, ids = found[name]
        if down:
            where = f"{column} IS NOT NULL" if floor is None else f"{column} > ?"
        elif isinstance(floor, bytes):  # a ceiling above every value: all leads
            where = "1"
        else:
            where = "0" if floor is None else f"({column} IS NULL OR {column} < ?)"
        params = () if floor is None or "?" not in where else (floor,)
        assert ids == [r[0] for r in conn.execute(
            f"SELECT id FROM leads WHERE {where} ORDER BY id", params)], name
        assert len(ids) <= 2 * lead_tops.KEEP
    return found


def test_a_first_import_keeps_the_leads_above_each_floor(tmp_path: Path, reader: str) -> None:
    wb = Workbook.create(tmp_path / "tops.awb", "blank")
    import_leads(wb, export(tmp_path, random.Random(1), list(range(60)), "first.csv"), MAPPING)
    found = assert_exact(wb)
    # Sixty leads, ~40 with a first touch: the floor was raised, to the 8th highest value
    # then; those above it stay, and few share a value.
    floor, ids = found["first_touch_at"]
    assert floor is not None and 7 <= len(ids) <= 14
    # A name most leads share is the owners' floor: few leads (or none) above it.
    assert found["owner"][0] in NAMES
    # A column the file does not have: every lead is blank, so at the floor; and at the
    # ascending list's ceiling, which fell to the blank.
    assert found["disposition"] == (None, [])
    assert found["disposition:asc"] == (None, [])
    # The lowest owners: blank ones first ('' comes first), all of them in the list
    # unless more than `KEEP` share it (then it is the ceiling, and nothing is below).
    ceiling, ids = found["owner:asc"]
    blank = [r[0] for r in wb.db.conn.execute("SELECT id FROM leads WHERE owner = ''")]
    assert blank and (set(blank) <= set(ids) if ceiling != "" else ids == [])


def test_a_small_import_keeps_every_lead_with_a_value(tmp_path: Path, reader: str) -> None:
    wb = Workbook.create(tmp_path / "tops.awb", "blank")
    import_leads(wb, export(tmp_path, random.Random(2), list(range(5)), "first.csv"), MAPPING)
    found = assert_exact(wb)
    assert found["owner"][0] == "" and found["amount"][0] is None  # blank: nothing below
    # No ceiling yet: every lead is in each ascending list, blank ones too.
    assert found["owner:asc"] == (b"", [1, 2, 3, 4, 5])
    assert found["amount:asc"] == (b"", [1, 2, 3, 4, 5])


def fewer_columns(rng: random.Random) -> Mapping:
    """The mapping without some columns: a file that does not have them."""
    dropped = set(rng.sample(["campaign", "owner", "company", "score", "amount", "won"], 3))
    return Mapping(fields={k: v for k, v in MAPPING.fields.items() if k not in dropped},
                   stage_dates={}, date_format="iso")


def test_re_imports_keep_them_exact(tmp_path: Path, reader: str) -> None:
    """Each round changes some leads (top ones among them) and adds others, every other
    round from a file without some of the columns."""
    rng = random.Random(4)
    wb = Workbook.create(tmp_path / "tops.awb", "blank")
    import_leads(wb, export(tmp_path, rng, list(range(40)), "first.csv"), MAPPING)
    for round_ in range(8):
        again = rng.sample(range(40 + round_ * 5), 25) + list(range(40 + round_ * 5,
                                                                   45 + round_ * 5))
        mapping = fewer_columns(rng) if round_ % 2 else MAPPING
        _, report = import_leads(wb, export(tmp_path, rng, again, f"again{round_}.csv",
                                            mapping), mapping)
        assert report.updated > 0 and report.added == 5
        assert_exact(wb)


def test_new_leads_blank_in_a_column_stay_below_its_floor(tmp_path: Path,
                                                        reader: str) -> None:
    """Three leads with a company, then twenty from a file without companies: the list
    holds the three (the floor is blank: the twenty are at it)."""
    wb = Workbook.create(tmp_path / "tops.awb", "blank")
    import_leads(wb, export(tmp_path, random.Random(11), [0, 1, 2], "first.csv"), MAPPING)
    no_company = Mapping(fields={k: v for k, v in MAPPING.fields.items() if k != "company"},
                         stage_dates={}, date_format="iso")
    import_leads(wb, export(tmp_path, random.Random(12), list(range(3, 23)), "more.csv",
                            no_company), no_company)
    floor, ids = assert_exact(wb)["company"]
    assert floor == "" and len(ids) == len(
        [1 for (c,) in wb.db.conn.execute("SELECT company FROM leads") if c])


def test_the_floor_rises_and_leads_falling_below_it_leave(tmp_path: Path,
                                                         reader: str) -> None:
    """Amounts 100, 99 … 81 (twenty leads, over twice KEEP): the floor rises to the 8th
    highest, 93. A re-import lowers 100 to 0: it leaves the list, which keeps 99 … 94
    (a lead added later at 50 stays below the floor)."""
    wb = Workbook.create(tmp_path / "tops.awb", "blank")
    header = "ID,Created,Amount\n"
    rows = [f"L{i},2026-01-0{1 + i % 9} 09:00:00,{100 - i}\n" for i in range(20)]
    mapping = Mapping(fields={"external_id": "ID", "created": "Created", "amount": "Amount"},
                      stage_dates={}, date_format="iso")
    import_leads(wb, write(tmp_path, header + "".join(rows), "first.csv"), mapping)

    def amounts() -> tuple[Any, list[float]]:
        floor, ids = assert_exact(wb)["amount"]
        return floor, sorted((r[0] for r in wb.db.conn.execute(
            f"SELECT amount FROM leads WHERE id IN ({','.join(map(str, ids))})")),
            reverse=True)

    assert amounts() == (93, [100, 99, 98, 97, 96, 95, 94])
    import_leads(wb, write(tmp_path, header + "L0,2026-01-01 09:00:00,0\n", "lower.csv"),
                 mapping)
    assert amounts() == (93, [99, 98, 97, 96, 95, 94])
    import_leads(wb, write(tmp_path, header + "L20,2026-01-01 09:00:00,50\n", "add.csv"),
                 mapping)
    assert amounts() == (93, [99, 98, 97, 96, 95, 94])
    import_leads(wb, write(tmp_path, header + "L21,2026-01-01 09:00:00,93.5\n", "in.csv"),
                 mapping)
    assert amounts() == (93, [99, 98, 97, 96, 95, 94, 93.5])


def test_leads_at_the_floor_are_not_above_it(tmp_path: Path, reader: str) -> None:
    """First touches three to a day, then five more on one day: where the first rows set
    the floor to that day (dates compared as the seconds worked out when the file was
    read), the five are at the floor, not above it."""
    wb = Workbook.create(tmp_path / "tops.awb", "blank")
    header = "ID,Created,First touch\n"
    rows = [f"L{i},2026-01-01 09:00:00,2026-01-{28 - i // 3:02d} 10:00:00\n"
            for i in range(20)]
    rows += [f"L{i},2026-01-01 09:00:00,2026-01-26 10:00:00\n" for i in range(20, 25)]
    mapping = Mapping(fields={"external_id": "ID", "created": "Created",
                              "first_touch": "First touch"}, stage_dates={}, date_format="iso")
    import_leads(wb, write(tmp_path, header + "".join(rows), "first.csv"), mapping)
    floor, ids = assert_exact(wb)["first_touch_at"]
    assert floor >= "2026-01-26T10:00:00" and len(ids) <= 6  # days 28 and 27 at most


def test_undo_and_redo_put_the_lists_back(tmp_path: Path, reader: str) -> None:
    rng = random.Random(5)
    wb = Workbook.create(tmp_path / "tops.awb", "blank")
    import_leads(wb, export(tmp_path, rng, list(range(30)), "first.csv"), MAPPING)
    before = assert_exact(wb)
    import_leads(wb, export(tmp_path, rng, list(range(10, 45)), "second.csv"), MAPPING)
    after = assert_exact(wb)
    assert after != before
    wb.undo()
    assert assert_exact(wb) == before
    wb.redo()
    assert assert_exact(wb) == after


def test_removing_an_import_keeps_them_exact(tmp_path: Path, reader: str) -> None:
    rng = random.Random(6)
    wb = Workbook.create(tmp_path / "tops.awb", "blank")
    import_leads(wb, export(tmp_path, rng, list(range(30)), "first.csv"), MAPPING)
    _, second = import_leads(wb, export(tmp_path, rng, list(range(25, 60)), "second.csv"),
                             MAPPING)
    kept = assert_exact(wb)
    wb.leads.remove_batch(second.batch_id)
    removed = assert_exact(wb)
    assert removed != kept
    wb.undo()
    assert assert_exact(wb) == kept


def test_lists_out_of_date_are_worked_out_at_the_next_import(tmp_path: Path,
                                                             reader: str) -> None:
    """A workbook from before the lists (or with leads written by other code): the lists
    are not used, and the next import works them out from the leads."""
    rng = random.Random(7)
    wb = Workbook.create(tmp_path / "tops.awb", "blank")
    import_leads(wb, export(tmp_path, rng, list(range(30)), "first.csv"), MAPPING)
    wb.db.conn.execute("DELETE FROM lead_top_lists WHERE sort = 'owner'")
    with pytest.raises(AssertionError, match="out of date"):
        lists(wb)
    import_leads(wb, export(tmp_path, rng, list(range(20, 40)), "second.csv"), MAPPING)
    assert_exact(wb)
    wb.db.conn.execute("UPDATE lead_top_lists SET stamp = 'other code wrote leads'")
    import_leads(wb, export(tmp_path, rng, list(range(35, 50)), "third.csv"), MAPPING)
    assert_exact(wb)


def test_a_workbook_from_before_the_ascending_lists_gets_them_at_its_next_import(
        tmp_path: Path, reader: str) -> None:
    """Its descending lists go on serving (and being kept) and the ascending ones are
    worked out at its next import; until then an ascending sort scans, as it did."""
    rng = random.Random(13)
    wb = Workbook.create(tmp_path / "tops.awb", "blank")
    import_leads(wb, export(tmp_path, rng, list(range(30)), "first.csv"), MAPPING)
    conn = wb.db.conn
    conn.execute("DELETE FROM lead_tops WHERE sort LIKE '%:asc'")
    conn.execute("DELETE FROM lead_top_lists WHERE sort LIKE '%:asc'")
    conn.commit()
    ascending = {name for name, _, down in lead_tops.LISTS if not down}
    assert lead_tops.Tops.load(conn, lead_tops.stamp(conn)).missing == ascending
    assert request(wb, "company", descending=False)._from_tops(3) is None
    assert request(wb, "company")._from_tops(3) is not None  # the descending list serves
    assert list(request(wb, "company", descending=False).first_ids(3)) == \
        first_page(wb, "company", limit=3, descending=False)
    import_leads(wb, export(tmp_path, rng, list(range(20, 40)), "second.csv"), MAPPING)
    assert_exact(wb)


# -- the leads table's first page ------------------------------------------------------------
def request(wb: Workbook, sort: str, lead_filter: LeadFilter | None = None,
            descending: bool = True) -> OrderRequest:
    return wb.leads.order_request(lead_filter or LeadFilter(), sort, descending=descending)


def first_page(wb: Workbook, sort: str, where: str = "", limit: int = 5,
               descending: bool = True) -> list[int]:
    order = "DESC" if descending else "ASC"
    return [r[0] for r in wb.db.conn.execute(
        f"SELECT id FROM leads {where} ORDER BY {sort} {order}, id {order} LIMIT {limit}")]


@pytest.mark.parametrize("descending", [True, False], ids=["descending", "ascending"])
@pytest.mark.parametrize("sort", MAPPED)
def test_a_first_page_is_walked_from_the_list(
        tmp_path: Path, reader: str, sort: str, descending: bool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The leads above the floor (below the ceiling), in order, then those at it, by id
    as SQLite orders ties: the page SQLite's ORDER BY gives, found without sorting every
    lead. There are always more than `KEEP` of them (the floor is the value of the
    `KEEP + 1`-th), so a page that size is always walked; a bigger one, or one under a
    filter, when they fill it. Here every lead has a campaign, an owner and a company,
    few alike, so their ascending lists hold the lowest ones, not the blank."""
    monkeypatch.setattr(lead_order, "SPLIT_FROM", 0)  # scans race the walk, as at 1M
    distinct = [f"{name} {i}" for i, name in enumerate(NAMES[2:] * 20)]  # none blank
    monkeypatch.setattr(sys.modules[__name__], "NAMES", distinct)
    wb = Workbook.create(tmp_path / "tops.awb", "blank")
    import_leads(wb, export(tmp_path, random.Random(8), list(range(120)), "first.csv"),
                 MAPPING)
    wb.db.conn.commit()
    for lead_filter, where in ((LeadFilter(), ""), (LeadFilter(source="Ads"),
                                                     "WHERE source = 'Ads'")):
        for limit in (3, 12):
            expected = first_page(wb, sort, where, limit, descending)
            wanted = request(wb, sort, lead_filter, descending)
            walked = wanted._walked_first(limit, Stop(1000), Stop(1000))
            if walked is not None or (not where and limit <= lead_tops.KEEP + 1):
                assert walked is not None and list(walked) == expected, (sort, limit, where)
            assert list(wanted.first_ids(limit)) == expected
    # A page the leads kept fill is read from them alone, before any scan.
    floor, kept = lists(wb)[lead_tops.list_name(sort, descending)]
    if len(kept) >= 3:
        def no_scan(self: OrderRequest, limit: int) -> None:
            raise AssertionError("scanned every lead")

        monkeypatch.setattr(OrderRequest, "_span_to_scan", no_scan)
        assert list(request(wb, sort, descending=descending).first_ids(3)) == \
            first_page(wb, sort, limit=3, descending=descending)
    if sort in ("campaign", "owner", "company"):
        assert floor not in (None, "", b"") and len(kept) >= lead_tops.KEEP


def test_no_list_gives_a_page_it_cannot_vouch_for(tmp_path: Path, reader: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A page reaching below the floor, or lists out of date: no walk; the scans find
    the page SQLite gives."""
    monkeypatch.setattr(lead_order, "SPLIT_FROM", 0)
    wb = Workbook.create(tmp_path / "tops.awb", "blank")
    import_leads(wb, export(tmp_path, random.Random(9), list(range(120)), "first.csv"),
                 MAPPING)
    wb.db.conn.commit()
    conn = wb.db.conn
    floor, above = lists(wb)["first_touch_at"]
    at = conn.execute("SELECT count(*) FROM leads WHERE first_touch_at = ?",
                      (floor,)).fetchone()[0]
    beyond = len(above) + at + 1
    assert request(wb, "first_touch_at")._walked_first(beyond, Stop(1000), Stop(1000)) is None
    assert list(request(wb, "first_touch_at").first_ids(beyond)) == \
        first_page(wb, "first_touch_at", limit=beyond)
    conn.execute("UPDATE lead_top_lists SET stamp = 'old'")
    conn.commit()
    assert request(wb, "owner")._walked_first(3, Stop(1000), Stop(1000)) is None
    assert request(wb, "owner")._from_tops(3) is None
    assert list(request(wb, "owner").first_ids(3)) == first_page(wb, "owner", limit=3)


def test_the_lists_are_read_only_when_current(tmp_path: Path, reader: str) -> None:
    """A list stamped for other leads is never read, even if every row is there."""
    wb = Workbook.create(tmp_path / "tops.awb", "blank")
    import_leads(wb, export(tmp_path, random.Random(10), list(range(20)), "first.csv"),
                 MAPPING)
    conn = wb.db.conn
    assert lead_tops.Tops.load(conn, lead_tops.stamp(conn)).missing == frozenset()
    assert lead_tops.Tops.load(conn, "12:other").missing == {
        name for name, _, _ in lead_tops.LISTS}
