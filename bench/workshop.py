"""How long saving one participant's answers takes on the Workshop screen, from the click
to the redrawn gap view and radar (the core's step, the gaps, the evidence of the quarter,
events processed; offscreen) — with 300 participants already in, against the demo's 9 as
the baseline measured in the same run. Target: median ≤ 150 ms per save.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/workshop.py [--participants 300]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.context import AppContext  # noqa: E402
from ui.workshop.screen import WorkshopScreen  # noqa: E402
from workbench.model import Team  # noqa: E402
from workbench.workbook import Workbook  # noqa: E402
from workbench.workshop_questions import QuestionKind  # noqa: E402

SAVES = 20


def answers(workbook: Workbook, rng: random.Random) -> dict[str, str]:
    result = {}
    for q in workbook.workshop.questions():
        if q.kind is QuestionKind.SCALE:
            result[q.key] = str(rng.randint(1, 5))
        elif q.kind is QuestionKind.CHOICE:
            result[q.key] = rng.choice(q.choices)
        elif q.kind is QuestionKind.NUMBER:
            result[q.key] = str(rng.randint(0, 100))
        else:
            result[q.key] = "A lead that asked for a demo"
    return result


def median_save(path: Path, extra: int, app: QApplication) -> float:
    rng = random.Random(7)
    with Workbook.open(path) as workbook:
        for i in range(extra):
            workbook.workshop.record_participant(list(Team)[i % 2], answers(workbook, rng))
        screen = WorkshopScreen(AppContext(workbook))
        screen.resize(1280, 720)
        screen.show()
        screen.show_tab("gaps")
        app.processEvents()
        times = []
        for i in range(SAVES):
            values = answers(workbook, rng)
            start = time.perf_counter()
            screen.save_answers(list(Team)[i % 2], "", values)
            app.processEvents()
            times.append(time.perf_counter() - start)
        screen.close()
        return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=300)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        base, big = Path(folder) / "base.awb", Path(folder) / "big.awb"
        for path in (base, big):
            Workbook.create(path, "demo").close()
        baseline = median_save(base, 0, app)
        loaded = median_save(big, args.participants, app)
    print(f"save + redraw, demo (9 participants): median {baseline:.1f} ms")
    print(f"save + redraw, {args.participants + 9} participants: median {loaded:.1f} ms "
          f"({'within' if loaded <= 150 else 'OVER'} the 150 ms target)")


if __name__ == "__main__":
    main()
