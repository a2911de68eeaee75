"""Two windows (or the app and the command line) on one workbook: undo never overwrites a
change it did not make — it refuses, says why, and changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.history import ChangedSince
from workbench.model import Operator, RuleKind
from workbench.workbook import Workbook

from .snapshot import dump


@pytest.fixture
def two(blank_path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "Shared.awb"
    shutil.copy(blank_path, path)
    first, second = Workbook.open(path), Workbook.open(path)
    yield first, second
    second.close()
    first.close()


def test_undoing_a_rename_refuses_when_another_window_changed_the_stage(two) -> None:
    first, second = two
    mql = first.funnel.stage_by_key("mql")
    assert mql is not None
    first.funnel.rename_stage(mql.id, "Marketing-ready lead")
    second.funnel.update_stage(mql.id, definition="Scored 60+ and asked for a demo.")
    before = dump(first)
    with pytest.raises(ChangedSince) as caught:
        first.undo()
    assert str(caught.value) == (
        "Cannot undo “Rename stage”: the workbook was changed since by another window or "
        "program (the funnel), and this would overwrite that change. Nothing was changed.")
    assert dump(first) == before
    assert first.funnel.stage(mql.id).definition == "Scored 60+ and asked for a demo."
    assert first.undo_name == "Rename stage"  # still there, should the other change go


def test_undoing_an_added_rule_refuses_once_another_window_edited_it(two) -> None:
    first, second = two
    _, rule = first.scoring.add_rule(kind=RuleKind.FIT, attribute="industry",
                                     operator=Operator.EQUALS, value="Logistics", points=10)
    second.scoring.update_rule(rule, points=25)
    with pytest.raises(ChangedSince):
        first.undo()
    assert [r.points for r in second.scoring.rules() if r.id == rule] == [25]


def test_undo_still_works_when_nobody_else_touched_the_row(two) -> None:
    first, second = two
    mql = first.funnel.stage_by_key("mql")
    sal = first.funnel.stage_by_key("sal")
    assert mql is not None and sal is not None
    first.funnel.rename_stage(mql.id, "Marketing-ready lead")
    second.funnel.update_stage(sal.id, definition="Accepted by an SDR within a day.")
    first.undo()
    assert first.funnel.stage(mql.id).name == "Marketing Qualified Lead"
    assert first.funnel.stage(sal.id).definition == "Accepted by an SDR within a day."
