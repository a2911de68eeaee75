"""The phones' questionnaire as plain server-rendered HTML: the side first (marketing or
sales), an optional name, then every question with the answers it takes; after a send, what
was stored and each value that was not, with why. Every text that comes from the workbook
or a participant is escaped; the page loads nothing from anywhere else."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from .model import Team
from .workshop_questions import MAX_TEXT, SCALE, Question, QuestionKind, number_text

SIDES = {Team.MARKETING: "Marketing", Team.SALES: "Sales"}
MAX_NAME = 80
STYLE = """
body { font: 18px/1.45 system-ui, sans-serif; margin: 0; color: #1F2933; background: #F4F6F8; }
main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0; }
fieldset { border: 1px solid #D9DEE4; border-radius: .5rem; background: #fff;
  margin: 0 0 1rem; padding: .75rem 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
label.choice { display: block; padding: .5rem 0; }
input[type=radio] { width: 1.3rem; height: 1.3rem; vertical-align: middle; margin-right: .5rem; }
input[type=text], textarea { width: 100%; box-sizing: border-box; font: inherit;
  padding: .5rem; border: 1px solid #9AA3AF; border-radius: .4rem; }
.scale { display: flex; gap: .25rem; flex-wrap: wrap; }
.scale label { flex: 1 0 2.6rem; text-align: center; border: 1px solid #D9DEE4;
  border-radius: .4rem; padding: .5rem 0; }
.scale input { display: block; margin: 0 auto .25rem; }
.hint { color: #616E7C; font-size: .9rem; }
.problems { background: #FDECEA; border: 1px solid #F5C2BE; border-radius: .5rem;
  padding: .5rem 1rem; }
.stored { background: #EAF5EC; border: 1px solid #BFE0C4; border-radius: .5rem;
  padding: .5rem 1rem; }
button { font: inherit; font-weight: 600; width: 100%; padding: .9rem; border: 0;
  border-radius: .5rem; background: #3B4CCA; color: #fff; }
"""


def page(title: str, body: str) -> bytes:
    """A whole page around `body` (already escaped HTML)."""
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
            f"<body><main>{body}</main></body></html>").encode()


def message_page(title: str, text: str) -> bytes:
    return page(title, f"<h1>{escape(title)}</h1><p>{escape(text)}</p>")


def form_page(action: str, question_set: str, questions: Sequence[Question], *,
              values: Mapping[str, str] | None = None, problems: Sequence[str] = ()) -> bytes:
    """The questionnaire; `values` refills what was sent, `problems` says what was not
    stored and why."""
    values = values or {}
    parts = ["<h1>Alignment workshop</h1>",
             "<p class=\"hint\">Your answers go to the facilitator's laptop in this room and "
             "nowhere else. Answer as many questions as you like; your name is optional.</p>"]
    if problems:
        parts.append(_problems("Nothing was stored. Please check:", problems))
    parts.append(f"<form method=\"post\" action=\"{escape(action)}\" "
                 "accept-charset=\"utf-8\">"
                 f"<input type=\"hidden\" name=\"set\" value=\"{escape(question_set)}\">")
    parts.append(_choices("side", "I work in", [(t.value, label) for t, label in SIDES.items()],
                          values.get("side", ""), required=True))
    parts.append("<fieldset><legend>Name (optional)</legend><input type=\"text\" "
                 f"name=\"name\" maxlength=\"{MAX_NAME}\" autocomplete=\"off\" "
                 f"value=\"{escape(values.get('name', ''))}\"></fieldset>")
    for number, question in enumerate(questions, 1):
        parts.append(_question(number, question, values.get(f"q_{question.key}", "")))
    parts.append("<button type=\"submit\">Send my answers</button></form>")
    return page("Alignment workshop", "".join(parts))


def thanks_page(again: str, side: Team, stored: int, problems: Sequence[str]) -> bytes:
    """After a send: how many answers were stored, for which side, and what was not."""
    answers = "1 answer" if stored == 1 else f"{stored:,} answers"
    parts = ["<h1>Thank you</h1>", f"<p class=\"stored\">Stored {answers} for "
             f"{escape(SIDES[side].lower())}.</p>"]
    if problems:
        parts.append(_problems("These values were not stored:", problems))
    parts.append(f"<p><a href=\"{escape(again)}\">Answer for another person</a></p>")
    return page("Thank you", "".join(parts))


def _problems(heading: str, problems: Sequence[str]) -> str:
    items = "".join(f"<li>{escape(p)}</li>" for p in problems)
    return f"<div class=\"problems\"><p>{escape(heading)}</p><ul>{items}</ul></div>"


def _choices(name: str, legend: str, options: Sequence[tuple[str, str]], chosen: str, *,
             required: bool = False) -> str:
    need = " required" if required else ""
    labels = "".join(
        f"<label class=\"choice\"><input type=\"radio\" name=\"{escape(name)}\" "
        f"value=\"{escape(value)}\"{' checked' if value == chosen else ''}{need}>"
        f"{escape(label)}</label>" for value, label in options)
    return f"<fieldset><legend>{escape(legend)}</legend>{labels}</fieldset>"


def _question(number: int, question: Question, value: str) -> str:
    name = f"q_{question.key}"
    legend = f"{number}. {question.text}"
    if question.kind is QuestionKind.CHOICE:
        return _choices(name, legend, [(c, c) for c in question.choices], value)
    if question.kind is QuestionKind.SCALE:
        boxes = "".join(
            f"<label><input type=\"radio\" name=\"{escape(name)}\" value=\"{n}\""
            f"{' checked' if str(n) == value else ''}>{n}</label>"
            for n in range(SCALE[0], SCALE[1] + 1))
        return (f"<fieldset><legend>{escape(legend)}</legend><div class=\"scale\">{boxes}"
                "</div><p class=\"hint\">1 = strongly disagree, 5 = strongly agree</p>"
                "</fieldset>")
    if question.kind is QuestionKind.NUMBER:
        unit = f" ({question.unit})" if question.unit else ""
        hint = f"A number from {number_text(question.low or 0)}" + (
            f" to {number_text(question.high)}" if question.high is not None else "") + unit
        return (f"<fieldset><legend>{escape(legend)}</legend><input type=\"text\" "
                f"inputmode=\"decimal\" name=\"{escape(name)}\" value=\"{escape(value)}\">"
                f"<p class=\"hint\">{escape(hint)}</p></fieldset>")
    return (f"<fieldset><legend>{escape(legend)}</legend><textarea name=\"{escape(name)}\" "
            f"rows=\"3\" maxlength=\"{MAX_TEXT}\">{escape(value)}</textarea></fieldset>")
