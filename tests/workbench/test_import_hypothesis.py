"""Whatever rows an export holds, an import never damages the workbook: it passes SQLite's
integrity and foreign-key checks afterwards, and the file is either imported (every good
row, and with skip-bad-rows only those) or refused whole with nothing changed."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import WorkbenchError
from workbench.imports import Mapping, import_leads
from workbench.imports.dates import _iso_shaped
from workbench.imports.reader import is_footer
from workbench.workbook import Workbook

from .snapshot import dump, integrity_problems

MAPPING = Mapping(fields={"external_id": "ID", "created": "Created", "source": "Source",
                          "amount": "Amount", "score": "Score"},
                  stage_dates={"MQL": "MQL"}, date_format="iso", decimal_comma=False)

# Any ID but a report footer's first words ("Total", "Copyright", …), which end the rows.
ids = st.one_of(st.sampled_from(["A", "B", "C", "L1", ""]),
                st.text(min_size=1, max_size=6).filter(lambda t: not is_footer([t], 1)))
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat(sep=" ", timespec="seconds")),
    st.sampled_from(["", "2026-02-30", "2026-13-01", "yesterday", "2026-01-01 24:00"]),
)
amounts = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                    st.integers(-10, 10**9).map(str), st.sampled_from(["", "1,5", "-0", "€"]))
texts = st.text(max_size=12)  # quotes, separators, line breaks, "=formulas", anything
rows = st.lists(st.tuples(ids, dates, texts, amounts, amounts, dates), min_size=0, max_size=25)


def as_csv(data: list[tuple[str, ...]], ragged: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ID", "Created", "Source", "Amount", "Score", "MQL"])
    for index, row in enumerate(data):
        writer.writerow(row[:5] if ragged and index == len(data) - 1 else row)
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=rows, ragged=st.booleans(), skip=st.booleans(), first=rows)
def test_random_rows_never_corrupt_the_workbook(data: list[tuple[str, ...]], ragged: bool,
                                               skip: bool, first: list[tuple[str, ...]]) -> None:
    workbook = Workbook.in_memory("blank")
    with tempfile.TemporaryDirectory() as folder:
        earlier = Path(folder) / "earlier.csv"
        earlier.write_text(as_csv(first, False), encoding="utf-8")
        try:  # leads already there, so updates and repeated IDs are exercised too
            import_leads(workbook, earlier, MAPPING, skip_bad_rows=True)
        except WorkbenchError:
            pass
        before, count = dump(workbook), workbook.leads.count()
        path = Path(folder) / "leads.csv"
        path.write_text(as_csv(data, ragged), encoding="utf-8")
        try:
            _, report = import_leads(workbook, path, MAPPING, skip_bad_rows=skip)
        except WorkbenchError:
            assert dump(workbook) == before  # refused whole
        else:
            assert (report.added + report.updated + report.unchanged + report.skipped
                    == len(data))
            assert workbook.leads.count() == count + report.added
            assert skip or report.skipped == 0
            workbook.undo()
            assert dump(workbook) == before
    assert integrity_problems(workbook) == []
    workbook.close()


# The shape a column of ISO dates is read fast in, as the regular expression it was first
# checked with: each cell empty or "YYYY-MM-DD HH:MM:SS" ("T" between), year not 0000.
ISO_COLUMN = re.compile(
    r"(?:(?:(?!0000)[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2})?\n)*")
near_dates = st.one_of(
    st.datetimes().map(lambda d: d.isoformat(sep=" ", timespec="seconds")),
    st.sampled_from(["", "0000-01-01 00:00:00", "2026-01-01T09:30:00", "2026-01-01 09:30"]),
    st.text(alphabet="0123456789-: T\n\u0663é", min_size=17, max_size=20),
)


@settings(max_examples=400, deadline=None)
@given(column=st.lists(near_dates, max_size=6))
def test_the_fast_iso_shape_check_says_what_the_regular_expression_says(
        column: list[str]) -> None:
    expected = ISO_COLUMN.fullmatch("".join(f"{cell}\n" for cell in column)) is not None \
        and not any("\n" in cell for cell in column)
    assert _iso_shaped(column) == expected
