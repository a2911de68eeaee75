"""Starting a funnel from a common stage model: in a new workbook, or by replacing the
stages of a workbook that holds no data yet."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.funnel import funnel_models
from workbench.model import Owner
from workbench.workbook import Workbook

from .test_funnel import assert_refused, assert_round_trip, keys, sid


def test_the_models_are_listed_with_their_titles() -> None:
    assert funnel_models() == [
        ("classic", "Inquiry → MQL → SAL → SQL → Opportunity → Customer"),
        ("simple", "Lead → MQL → SQL → Won"),
    ]


def test_a_new_workbook_starts_from_the_chosen_model(tmp_path: Path) -> None:
    path = tmp_path / "Acme.awb"
    Workbook.create(path, "blank", funnel_model="simple").close()
    with Workbook.open(path) as workbook:
        assert keys(workbook) == ["lead", "mql", "sql", "won"]
        assert workbook.undo_name is None
    assert keys(Workbook.in_memory("blank")) == [
        "inquiry", "mql", "sal", "sql", "opportunity", "customer"]


def test_an_unknown_model_creates_no_file(tmp_path: Path) -> None:
    path = tmp_path / "Acme.awb"
    with pytest.raises(WorkbenchError, match="unknown funnel model 'bowtie'"):
        Workbook.create(path, "blank", funnel_model="bowtie")
    assert list(tmp_path.iterdir()) == []


def test_replace_with_a_model_is_one_undoable_step() -> None:
    workbook = Workbook.in_memory("blank")
    mql = sid(workbook, "mql")
    workbook.funnel.set_proposal(mql, "sales", "Asked for a demo.")
    workbook.funnel.set_aliases(mql, [("HubSpot", "Marketing Qualified Lead")])
    workbook.funnel.add_recycle(sid(workbook, "sal"), mql, "Back to nurture")
    assert_round_trip(workbook, "Use the simple funnel model",
                      lambda: workbook.funnel.replace_with_model("simple"))
    stages = workbook.funnel.stages()
    assert [(s.key, s.owner, s.max_hours) for s in stages] == [
        ("lead", Owner.MARKETING, None), ("mql", Owner.MARKETING, 24),
        ("sql", Owner.SALES, 168), ("won", Owner.SALES, None)]
    assert workbook.funnel.recycles() == []
    assert workbook.funnel.proposal_pair(sid(workbook, "mql")).sales == ""


def test_replacing_a_funnel_that_holds_data_is_refused(demo: Workbook) -> None:
    assert_refused(
        demo, "model",
        "The funnel cannot be replaced: its stages already hold data (actuals, leads or "
        "plans). Start a new workbook from the model instead.",
        lambda: demo.funnel.replace_with_model("classic"),
    )


def test_an_unknown_model_is_refused() -> None:
    workbook = Workbook.in_memory("blank")
    assert_refused(workbook, "model", "There is no funnel model called “bowtie”.",
                   lambda: workbook.funnel.replace_with_model("bowtie"))


def test_a_recycle_path_that_exists_is_refused_with_a_message() -> None:
    workbook = Workbook.in_memory("blank")
    sal, mql = sid(workbook, "sal"), sid(workbook, "mql")
    workbook.funnel.add_recycle(sal, mql, "Back to nurture")
    assert_refused(workbook, "recycle", "There is already a recycle path from Sales "
                                        "Accepted Lead to Marketing Qualified Lead.",
                   lambda: workbook.funnel.add_recycle(sal, mql, "again"))
