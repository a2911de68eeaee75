"""The workshop in a workbook: the question set copied on first use and editable, answers
by side one participant at a time or from a CSV (partial answers kept, bad values reported
by line and not stored), the evidence beside numeric answers, decisions and what they
settle, and a file of version 10 migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbench.closed_loop import follow_up, sourced_shares
from workbench.errors import ValidationError
from workbench.model import Team
from workbench.planning.reverse import committed_mql_commitment
from workbench.workbook import Workbook
from workbench.workshop_csv import AnswerSheet, parse_answer_sheet, read_answer_sheet
from workbench.workshop_evidence import evidence
from workbench.workshop_questions import shipped_questions

from .snapshot import dump


def unchanged(wb: Workbook, act: object, field: str, message: str) -> None:
    before, log, undo = dump(wb), wb.change_log(), wb.undo_name
    with pytest.raises(ValidationError) as caught:
        act()  # type: ignore[operator]
    assert (caught.value.field, caught.value.message) == (field, message)
    assert dump(wb) == before and wb.change_log() == log and wb.undo_name == undo


def test_a_blank_workbook_asks_the_apps_questions_and_copies_them_on_the_first_answer(
        blank: Workbook) -> None:
    assert blank.workshop.questions() == list(shipped_questions())
    assert blank.db.conn.execute("SELECT COUNT(*) FROM workshop_questions").fetchone() == (0,)
    blank.workshop.record_participant("marketing", {"same_goal": "4"})
    assert blank.db.conn.execute("SELECT COUNT(*) FROM workshop_questions").fetchone() == (
        len(shipped_questions()),)
    assert blank.workshop.questions() == list(shipped_questions())
    blank.undo()
    assert blank.db.conn.execute("SELECT COUNT(*) FROM workshop_questions").fetchone() == (0,)


def test_the_question_set_is_data_with_every_root_cause_area() -> None:
    areas = {q.area for q in shipped_questions()}
    assert areas == {"Focus and time horizon", "How each creates value",
                     "How success is measured", "Barriers outside the relationship",
                     "Hand-offs and ownership", "Trust, feedback and planning"}
    numbers = {q.key: q.evidence for q in shipped_questions() if q.kind == "number"}
    assert numbers == {"mqls_per_month": "mqls_per_month", "marketing_share": "marketing_share",
                       "follow_up_hours": "follow_up_hours",
                       "followed_up_share": "followed_up_share"}


def test_a_reworded_question_stays_in_this_workbook_only(blank: Workbook, tmp_path: Path) -> None:
    blank.workshop.edit_question("same_goal", text="同じ目標 <b>?", area="Focus 🎯")
    question = blank.workshop.question("same_goal")
    assert (question.text, question.area) == ("同じ目標 <b>?", "Focus 🎯")
    other = Workbook.create(tmp_path / "Other.awb", "blank")
    assert other.workshop.question("same_goal").text != "同じ目標 <b>?"
    other.close()


def test_a_partial_answer_is_kept_anonymous_by_default(demo: Workbook) -> None:
    _, person = demo.workshop.record_participant(
        Team.SALES, {"follow_up_hours": "36", "same_goal": "", "mql_definition": "  "})
    stored = [(a.question_key, a.answer) for a in demo.workshop.answers()
              if a.participant_id == person]
    assert stored == [("follow_up_hours", "36")]
    assert [(p.team, p.name, p.answered) for p in demo.workshop.participants()
            if p.id == person] == [(Team.SALES, "", 1)]


@pytest.mark.parametrize(("side", "raw", "field", "message"), [
    ("sales", {"same_goal": "7"}, "same_goal", "“Both teams work towards the same revenue goal "
     "for the quarter.”: expected a whole number from 1 to 5, not “7”."),
    ("sales", {"follow_up_hours": "1 day"}, "follow_up_hours", "“Within how many hours must "
     "sales follow up a new MQL?”: expected a number from 0 to 8760, not “1 day”."),
    ("sales", {"nope": "3"}, "nope", "There is no question “nope” in this workshop."),
    ("finance", {"same_goal": "3"}, "side",
     "A participant answers as marketing or sales, not “finance”."),
    ("marketing", {"same_goal": " "}, "answers",
     "No answers to record: answer at least one question."),
])
def test_bad_answers_are_refused_and_nothing_is_stored(
        demo: Workbook, side: str, raw: dict[str, str], field: str, message: str) -> None:
    unchanged(demo, lambda: demo.workshop.record_participant(side, raw), field, message)


CSV = """side,name,same_goal,follow_up_hours,horizon,mql_definition,folow_up
Marketing,,4,24,this quarter,"Fit, intérêt <b>et</b> 🚀",x
sales,李伟,9,72,This month,طلب عرض,y
finance,,3,,,,
sales,,,,,,
marketing,,5,soon,Never,,
"""


def test_a_csv_keeps_partial_answers_and_reports_bad_values_by_line(demo: Workbook) -> None:
    sheet = parse_answer_sheet(CSV, demo.workshop.questions(), "answers.csv")
    assert sheet.problems == (
        "column 7 “folow_up” is not a question of this workshop (did you mean "
        "“follow_up_hours”?): its answers are not stored",
        "line 3, same_goal: expected a whole number from 1 to 5, not “9”; not stored",
        "line 4: side “finance” is neither marketing nor sales: the row is not stored",
        "line 5: no answers to store",
        "line 6, follow_up_hours: expected a number from 0 to 8760, not “soon”; not stored",
        "line 6, horizon: expected one of “This month”, “This quarter”, “This year”, "
        "“Beyond a year”, not “Never”; not stored",
    )
    assert [(p.line, p.team, p.name, p.answers) for p in sheet.participants] == [
        (2, Team.MARKETING, "", {"same_goal": "4", "follow_up_hours": "24",
                                 "horizon": "This quarter",
                                 "mql_definition": "Fit, intérêt <b>et</b> 🚀"}),
        (3, Team.SALES, "李伟", {"follow_up_hours": "72", "horizon": "This month",
                               "mql_definition": "طلب عرض"}),
        (6, Team.MARKETING, "", {"same_goal": "5"}),
    ]
    before = len(demo.workshop.participants())
    changes = demo.workshop.import_sheet(sheet)
    assert changes.workshop and demo.undo_name == "Import workshop answers"
    assert [p.entered for p in demo.workshop.participants()[before:]] == ["csv"] * 3
    demo.undo()
    assert len(demo.workshop.participants()) == before


def test_a_semicolon_csv_with_a_bom_reads_the_same(demo: Workbook, tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes("\ufeffTeam;same_goal;follow_up_hours\nSALES;2;48,5\n".encode())
    sheet = read_answer_sheet(path, demo.workshop.questions())
    assert sheet.problems == ()
    assert sheet.participants[0].answers == {"same_goal": "2", "follow_up_hours": "48.5"}


@pytest.mark.parametrize(("content", "message"), [
    (b"", "answers.csv: is empty; expected a header row with “side” and question keys."),
    (b"who,same_goal\nsales,3\n", "answers.csv: has no “side” column (marketing or sales per "
     "participant); its columns: who, same_goal."),
    ("side,same_goal\nventes,3\n".encode("utf-16"),
     "answers.csv: is not UTF-8 text; save it as “CSV UTF-8” and import it again."),
])
def test_a_csv_that_cannot_be_read_says_why(demo: Workbook, tmp_path: Path, content: bytes,
                                            message: str) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(content)
    with pytest.raises(ValidationError) as caught:
        read_answer_sheet(path, demo.workshop.questions())
    assert caught.value.message == message


def test_a_sheet_without_answers_stores_nothing(demo: Workbook) -> None:
    sheet = parse_answer_sheet("side,same_goal\nsales,\n", demo.workshop.questions())
    unchanged(demo, lambda: demo.workshop.import_sheet(sheet), "file",
              "The file has no answers to store.")


def test_the_evidence_is_the_workbooks_own_figures(demo: Workbook) -> None:
    quarter = demo.plan.quarters()[-2]
    loop = follow_up(demo, quarter.id, 24)
    hours = evidence(demo, "follow_up_hours", quarter)
    assert hours is not None and hours.value == loop.median_hours
    share = evidence(demo, "followed_up_share", quarter)
    assert share is not None and share.value == pytest.approx(100 * loop.touched / loop.mqls)
    assert share.source == (f"{loop.touched:,} of {loop.mqls:,} MQLs of {quarter.label} "
                            "followed up (imported leads)")
    sourced = evidence(demo, "marketing_share", quarter)
    pipeline = sourced_shares(demo, quarter.id).pipeline_marketing.value
    assert sourced is not None and pipeline is not None
    assert sourced.value == pytest.approx(100 * pipeline)
    mqls = evidence(demo, "mqls_per_month", quarter)
    assert mqls is not None and mqls.value == committed_mql_commitment(demo, quarter.id,
                                                                       per_month=True)
    assert evidence(demo, "hunch", quarter) is None


def test_evidence_that_cannot_be_worked_out_is_a_dash_and_the_reason(blank: Workbook) -> None:
    assert evidence(blank, "follow_up_hours", None).text == "—"  # type: ignore[union-attr]
    assert evidence(blank, "mqls_per_month", None).reason == (  # type: ignore[union-attr]
        "the workbook has no quarters yet")
    blank.plan.add_quarter("2026Q3")
    quarter = blank.plan.quarters()[-1]
    said = {key: (e.text, e.reason) for key in ("follow_up_hours", "followed_up_share",
                                                "marketing_share", "mqls_per_month")
            if (e := evidence(blank, key, quarter))}
    assert said == {
        "follow_up_hours": ("—", "no MQL of 2026Q3 in the imported leads was followed up"),
        "followed_up_share": ("—", "the imported leads hold no MQL of 2026Q3"),
        "marketing_share": ("—", "no weighted pipeline to share"),
        "mqls_per_month": ("—", "no plan is committed for 2026Q3"),
    }


def test_a_decision_settles_something_that_exists(demo: Workbook) -> None:
    demo.workshop.record_decision("SAL within 2 days", owner="VP Sales",
                                  settles=("stage", "sal"))
    decision = demo.workshop.decisions()[-1]
    assert demo.workshop.settles_label(decision) == "Stage: " + next(
        s.name for s in demo.funnel.stages() if s.key == "sal")
    unchanged(demo, lambda: demo.workshop.record_decision("x", settles=("stage", "zzz")),
              "settles", "There is no stage “zzz” in this workbook.")
    unchanged(demo, lambda: demo.workshop.record_decision("x", settles=("budget", "1")),
              "settles", "A decision settles a stage, an SLA term, a scoring rule or a "
              "question, not “budget”.")
    unchanged(demo, lambda: demo.workshop.edit_question("same_goal", text=" "), "text",
              "A question needs its text; it was left as it was.")


def test_the_demo_decision_settles_the_follow_up_question(demo: Workbook) -> None:
    decision = demo.workshop.decisions()[0]
    assert demo.workshop.settles_label(decision) == (
        "Question: Within how many hours must sales follow up a new MQL?")
    assert decision.owner == "Head of Sales"


def test_a_version_10_file_keeps_each_teams_answers_as_one_participant(tmp_path: Path) -> None:
    from .files import downgraded

    source = tmp_path / "new.awb"
    Workbook.create(source, "blank").close()
    older = tmp_path / "older.awb"
    downgraded(source, older, 10)
    raw = sqlite3.connect(older)
    raw.executemany("INSERT INTO workshop_answers (question_key, team, answer) VALUES (?,?,?)",
                    [("follow_up_hours", "sales", "72"), ("follow_up_hours", "marketing", "24"),
                     ("mql_definition", "sales", "Demo <b>request</b>"),
                     ("same_goal", "sales", "")])
    raw.execute("INSERT INTO decisions (text, decided_by) VALUES ('Weekly stand-up', 'both')")
    raw.commit()
    raw.close()
    with Workbook.open(older) as migrated:
        assert [(p.team, p.answered) for p in migrated.workshop.participants()] == [
            (Team.MARKETING, 1), (Team.SALES, 2)]
        assert sorted((a.team, a.question_key, a.answer) for a in migrated.workshop.answers()) \
            == [(Team.MARKETING, "follow_up_hours", "24"), (Team.SALES, "follow_up_hours", "72"),
                (Team.SALES, "mql_definition", "Demo <b>request</b>")]
        decision = migrated.workshop.decisions()[0]
        assert (decision.text, decision.decided_by, decision.owner, decision.settles) == (
            "Weekly stand-up", "both", "", None)


def test_the_sla_document_carries_the_decisions_and_keeps_them_once_stored(
        demo: Workbook) -> None:
    import json

    from workbench.sla_terms import SlaDocument, build_document

    version = demo.sla.versions()[-1].id
    document = build_document(demo, version)
    assert [d[:2] for d in document.decisions] == [(d.text, d.owner)
                                                   for d in demo.workshop.decisions()]
    assert document.decisions[0][2] == ("Question: Within how many hours must sales follow "
                                        "up a new MQL?")
    stored = document.to_json()
    demo.workshop.record_decision("Later <b>decision</b>")
    assert SlaDocument.from_json(stored).decisions == document.decisions
    older = json.loads(stored)
    del older["document"]["decisions"]  # a document signed before decisions were recorded
    assert SlaDocument.from_json(json.dumps(older)).decisions == ()


def test_a_blank_sheet_filled_in_imports_and_its_notes_are_skipped(demo: Workbook,
                                                                    tmp_path: Path) -> None:
    from workbench.workshop_csv import write_blank_sheet

    path = tmp_path / "sheet.csv"
    demo.workshop.edit_question("same_goal", text="=HYPERLINK(\"x\") same goal?")
    write_blank_sheet(path, demo.workshop.questions())
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("side,name,same_goal,horizon,")
    assert lines[1].startswith('#question,(blank: anonymous),"\'=HYPERLINK(""x"") same goal?"')
    assert lines[2].startswith("#expected,,a whole number from 1 to 5,")
    assert read_answer_sheet(path, demo.workshop.questions()) == AnswerSheet((), ())
    with path.open("a", encoding="utf-8") as sheet:
        sheet.write("sales,Ana,2,This month\n")
    filled = read_answer_sheet(path, demo.workshop.questions())
    assert filled.problems == ()
    assert [(p.line, p.team, p.name, p.answers) for p in filled.participants] == [
        (4, Team.SALES, "Ana", {"same_goal": "2", "horizon": "This month"})]
