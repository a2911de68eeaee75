"""`WorkshopScreen`: the Workshop area. Participants answer the diagnostic one at a time
(or their answers come from a CSV); the gap view shows where the sides disagree, largest
first, with the workbook's own figures beside the numbers people believe; the decisions
log records what was settled. Edits go through the core; the screen redraws from
`changed`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reports.workshop_report import evidence_quarter
from ui.context import AppContext
from ui.data import common
from ui.present.canvas import Slide
from ui.present.presenter import Presenter
from ui.shell.blocks import card, fill_tab, later_tab, note
from ui.shell.flow import flow_row
from ui.shell.held import HeldWhileHidden
from ui.shell.screen_sheets import style_screen
from ui.words import counted
from workbench.changes import Changes
from workbench.errors import ValidationError
from workbench.model import Team
from workbench.phone_answers import PhoneAnswer, question_set_id
from workbench.workshop import Settles
from workbench.workshop_csv import read_answer_sheet, write_blank_sheet
from workbench.workshop_evidence import WorkshopResults, workshop_results

from .answer_form import AnswerForm
from .decisions_panel import DecisionsPanel
from .gap_view import GapList, Radar
from .phones import PhonePanel, PhoneRoom
from .questions_panel import QuestionsPanel
from .theme import SIDE_LABEL

TABS = ("answer", "gaps", "decisions", "questions", "phones")


class WorkshopScreen(QWidget):
    """The Workshop area for the context's workbook."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.results: WorkshopResults | None = None
        self._question_keys: list[tuple[str, str, str]] = []
        self.setObjectName("WorkshopScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        style_screen(self, by_window=context.window_styles_screens)
        self._build()
        self.held = HeldWhileHidden(self, context, changed=self._on_changed)
        context.workbook_replaced.connect(self.refresh)
        context.workbook_replaced.connect(self.phone_room.stop)
        self.refresh()

    def _build(self) -> None:
        title = QLabel("Workshop")
        title.setObjectName("screenTitle")
        self.counts = QLabel()
        self.counts.setObjectName("muted")
        self.sheet_button = QPushButton("Answer sheet…")
        self.sheet_button.setToolTip("A CSV to fill in before the workshop, one row per "
                                     "participant; import it with Import answers…")
        self.sheet_button.clicked.connect(self.save_blank_sheet)
        self.import_button = QPushButton("Import answers…")
        self.import_button.clicked.connect(self.import_answers)
        self.report_button = QPushButton("Report…")
        self.report_button.setToolTip("The workshop report PDF, page by page, to save")
        self.report_button.clicked.connect(self.open_report)
        self.presenter = Presenter(self, "Workshop", self.presentation_slides,
                                   self.context)
        self.present_button = self.presenter.button
        header = flow_row(title, self.counts, right=(self.sheet_button, self.import_button,
                                                       self.report_button,
                                                       self.present_button))
        self.banner = note("", "banner")
        self.banner.hide()
        self.form = AnswerForm()
        self.form.save_requested.connect(self.save_answers)
        self.gap_list = GapList()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.gap_list)
        self.gap_scroll = scroll
        self.radar = Radar()
        self.evidence_note = note("", "muted")
        radar_card = card("Root-cause areas", self.radar, self.evidence_note, stretch=self.radar)
        radar_card.setMinimumWidth(360)
        gaps = QWidget()
        row = QHBoxLayout(gaps)
        row.setContentsMargins(0, 8, 0, 0)
        row.addWidget(scroll, 5)
        row.addWidget(radar_card, 2)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.form, "Answer")
        self.tabs.addTab(gaps, "Gaps")
        # Decisions, Questions and Phones are made when first opened (or asked for): a
        # third of the screen's widgets, which its first showing need not make and style.
        self._decisions: DecisionsPanel | None = None
        self._questions: QuestionsPanel | None = None
        self._phones: PhonePanel | None = None
        for title in ("Decisions", "Questions", "Phones"):
            self.tabs.addTab(later_tab(), title)
        self.tabs.currentChanged.connect(self._tab_opened)
        self.phone_room = PhoneRoom(self)
        self.phone_room.arrived.connect(self.store_phone_answer)
        self.phone_room.stopped.connect(self._phones_stopped)
        self._from_phones = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)

    @property
    def decisions(self) -> DecisionsPanel:
        """The Decisions tab."""
        if self._decisions is None:
            self._decisions = DecisionsPanel()
            self._decisions.record_requested.connect(self.record_decision)
            self._decisions.remove_requested.connect(self.remove_decision)
            self._decisions.apply_requested.connect(self.apply_decision)
            fill_tab(self.tabs, 2, self._decisions)
            self._show_decisions()
        return self._decisions

    @property
    def questions(self) -> QuestionsPanel:
        """The Questions tab."""
        if self._questions is None:
            self._questions = QuestionsPanel()
            self._questions.save_requested.connect(self.save_question)
            fill_tab(self.tabs, 3, self._questions)
            wb = self.context.workbook
            if wb is not None:
                self._questions.set_questions(wb.workshop.questions())
        return self._questions

    @property
    def phones(self) -> PhonePanel:
        """The Phones tab."""
        if self._phones is None:
            self._phones = PhonePanel()
            self._phones.start_requested.connect(self.start_phones)
            self._phones.stop_requested.connect(self.phone_room.stop)
            fill_tab(self.tabs, 4, self._phones)
        return self._phones

    def _tab_opened(self, index: int) -> None:
        made_by = {2: "decisions", 3: "questions", 4: "phones"}
        if index in made_by:
            getattr(self, made_by[index])  # the property makes the tab's content, once

    # -- drawing --------------------------------------------------------------------------
    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if changes.workshop or changes.funnel or changes.scoring or changes.sla \
                or changes.data or changes.plan:
            self.refresh()

    def refresh(self) -> None:
        wb = self.context.workbook
        if wb is None:
            return
        questions = wb.workshop.questions()
        keys = [(q.key, q.text, q.area) for q in questions]
        if keys != self._question_keys:  # rebuilding the form drops what is being typed
            self._question_keys = keys
            self.form.set_questions(questions)
            if self._questions is not None:
                self._questions.set_questions(questions)
            self.phone_room.set_questions(questions)
        self.results = workshop_results(wb, evidence_quarter(wb))
        r = self.results
        self.counts.setText(f"{counted(r.marketing, 'marketing participant')}, "
                            f"{counted(r.sales, 'sales participant')}")
        self.gap_list.set_gaps(r.gaps, r.evidence)
        self.radar.set_areas(r.areas)
        self.evidence_note.setText(
            f"“Your data” is {r.quarter}'s, from this workbook." if r.quarter else
            "No quarter yet: the numbers have no data to set them against.")
        if self._decisions is not None:
            self._show_decisions()

    def _show_decisions(self) -> None:
        wb, panel = self.context.workbook, self._decisions
        if wb is None or panel is None:
            return
        decisions = wb.workshop.decisions()
        panel.set_decisions(decisions, [wb.workshop.settles_label(d) for d in decisions],
                            wb.workshop.settles_options())

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentIndex(TABS.index(key))

    def show_target(self, target: object) -> None:
        """A question key: its row on the gap view."""
        self.show_tab("gaps")
        if self.results is None:
            return
        keys = [g.question.key for g in self.results.gaps]
        if target in keys:
            self.gap_scroll.ensureVisible(0, int(self.gap_list.row_rect(
                keys.index(str(target))).center().y()), 0, 200)

    # -- edits ----------------------------------------------------------------------------
    def save_answers(self, team: Team, name: str, answers: dict[str, str]) -> None:
        wb = self.context.workbook
        if wb is None:
            return
        result, error = common.run_step(self.context, wb.workshop.record_participant, team,
                                        answers, name, initiator=self)
        if error is not None:
            self.form.show_refusal(getattr(error, "message", str(error)))
            return
        stored = counted(len(wb.workshop.checked_answers(answers)), "answer")
        self.form.clear_for_next(f"Saved: {stored} for {SIDE_LABEL[team].lower()}. Hand the "
                                 "laptop to the next person.")

    # -- answers from phones --------------------------------------------------------------
    def start_phones(self, host: str) -> None:
        """Serve the questionnaire on `host` with a new token; show its QR code."""
        wb = self.context.workbook
        if wb is None:
            return
        try:
            server = self.phone_room.start(host, wb.workshop.questions())
        except OSError as error:
            self.phones.show_stopped(f"Cannot serve on {host}: {error.strerror or error}. "
                                     "Choose another address.")
            return
        from workbench.phone_server import qr_png

        self._from_phones = 0
        self.phones.received.setText("No answer from a phone yet.")
        self.phones.show_running(server.address, qr_png(server.address))

    def _phones_stopped(self) -> None:
        self.phones.show_stopped(f"Stopped: {counted(self._from_phones, 'participant')} "
                                 "answered from phones. The address no longer answers.")

    def store_phone_answer(self, answer: PhoneAnswer) -> None:
        """Store one phone's answers as one undoable step, as if typed here."""
        wb = self.context.workbook
        if wb is None or answer.question_set != question_set_id(wb.workshop.questions()):
            self.phones.received.setText("Answers made for questions since changed were not "
                                         "stored.")
            return
        _, error = common.run_step(self.context, wb.workshop.record_participant, answer.team,
                                   answer.answers, answer.name, initiator=self)
        if error is not None:
            self.phones.received.setText(getattr(error, "message", str(error)))
            return
        self._from_phones += 1
        self.phones.received.setText(
            f"{counted(self._from_phones, 'participant')} answered from phones; the last "
            f"{SIDE_LABEL[answer.team].lower()}, {counted(len(answer.answers), 'answer')}.")

    def save_blank_sheet(self) -> None:
        wb = self.context.workbook
        if wb is None:
            return
        folder = wb.path.parent if wb.path else Path.home()
        path = common.ask_csv_path(self, "Save a blank answer sheet",
                                   folder / "Workshop answers.csv")
        if path is None:
            return
        try:
            write_blank_sheet(path, wb.workshop.questions())
        except OSError as error:
            common.show_error(self, "Blank answer sheet", f"{path.name}: cannot be written "
                              f"({error.strerror}).")
            return
        self.context.status.emit(f"Saved {path.name}: one row per participant, then Import "
                                 "answers…", 6000)

    def import_answers(self) -> None:
        wb = self.context.workbook
        if wb is None:
            return
        path = common.ask_import_path(self, "Import workshop answers (CSV)",
                                      wb.path.parent if wb.path else None)
        if path is None:
            return
        try:
            sheet = read_answer_sheet(Path(path), wb.workshop.questions())
        except ValidationError as error:
            common.show_error(self, "Import workshop answers", error.message)
            return
        if not sheet.participants:
            common.show_error(self, "Import workshop answers", f"{path.name}: no answers to "
                              "store.\n" + "\n".join(sheet.problems))
            return
        people = counted(len(sheet.participants), "participant")
        if sheet.problems and not common.confirm(
                self, "Import workshop answers", f"{path.name}: {people} to import. These "
                "values are not stored:\n\n" + "\n".join(sheet.problems), "Import the rest"):
            return
        _, error = common.run_step(self.context, wb.workshop.import_sheet, sheet,
                                   initiator=self)
        if error is None:
            self.context.status.emit(f"Imported the answers of {people} from {path.name}",
                                     6000)

    def record_decision(self, decision_id: int | None, text: str, owner: str,
                        settles: tuple[Settles, str] | None) -> None:
        wb = self.context.workbook
        if wb is None:
            return
        if decision_id is None:
            _, error = common.run_step(self.context, lambda: wb.workshop.record_decision(
                text, owner=owner, settles=settles), initiator=self)
        else:
            _, error = common.run_step(self.context, lambda: wb.workshop.edit_decision(
                decision_id, text=text, owner=owner, settles=settles), initiator=self)
        if error is not None:
            self.decisions.show_refusal(getattr(error, "message", str(error)))
        else:
            self.decisions.clear_form()

    def save_question(self, key: str, text: str, area: str) -> None:
        wb = self.context.workbook
        if wb is None:
            return
        _, error = common.run_step(self.context, lambda: wb.workshop.edit_question(
            key, text=text, area=area), initiator=self)
        self.questions.show_refusal(getattr(error, "message", str(error)) if error else "")

    def remove_decision(self, decision_id: int) -> None:
        wb = self.context.workbook
        if wb is not None:
            common.run_step(self.context, wb.workshop.remove_decision, decision_id,
                            initiator=self)

    def apply_decision(self, decision_id: int) -> None:
        """Open what the decision settles, and say the decision there."""
        wb = self.context.workbook
        decision = next((d for d in wb.workshop.decisions() if d.id == decision_id), None) \
            if wb is not None else None
        if wb is None or decision is None or decision.settles is None:
            return
        owner = f" — owner: {decision.owner}" if decision.owner else ""
        self.context.status.emit(f"To apply: {decision.text}{owner}", 30000)
        key = decision.settles_key or ""
        if decision.settles is Settles.QUESTION:
            self.show_target(key)
        elif decision.settles is Settles.STAGE:
            stage = wb.funnel.stage_by_key(key)
            self.context.area_requested.emit("funnel", int(stage.id) if stage else None)
        elif decision.settles is Settles.SCORING_RULE:
            self.context.area_requested.emit("scoring", int(key))
        else:
            self.context.area_requested.emit("sla", key)

    def open_report(self) -> None:
        """The workshop report, previewed page by page in the Export dialog."""
        show_report_dialog(self.context, self)

    def present(self) -> None:
        """Presentation mode: the gaps full screen, one slide at a time; F5 again or Esc
        leaves."""
        self.presenter.toggle()

    def presentation_slides(self) -> list[Slide]:
        """The radar, each question largest gap first, the decisions (`ui.present`)."""
        wb = self.context.workbook
        if wb is None or self.results is None:
            return []
        from .presentation import workshop_slides

        return workshop_slides(self.results, [(d, wb.workshop.settles_label(d))
                                              for d in wb.workshop.decisions()])


def show_report_dialog(context: AppContext, parent: QWidget | None) -> None:
    """Open the Export dialog on the workshop report (modal; tests replace this)."""
    from ui.export.dialog import ExportDialog

    dialog = ExportDialog(context, parent, kind="workshop")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.exec()
