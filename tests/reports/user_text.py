"""Random user text for the PDF tests, and the check that it comes back out of a PDF.

Two kinds of text: `mixed_text` is any script that reads left to right — Latin with markup
characters, CJK, emoji, and any code point at all (controls, unassigned, private use,
combining marks) except those that change the reading direction; `bidi_text` mixes short
Hebrew, Arabic and Latin words. Either may be a few words or thousands of characters.

`missing_words` says which of a text's words a PDF's text lacks. A character the PDF
could not draw may come back as its visible stand-in "[U+1F600]"; combining marks and
formatting characters are not compared (a font may draw them or not; they are not
words). Left-to-right text is compared character for character; in right-to-left text
each run of Latin letters must come back as typed and each run of Hebrew or Arabic
letters as typed or mirrored (pdftotext gives them in the order they are drawn).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from hypothesis import strategies as st

_BIDI_CLASSES = frozenset({"R", "AL", "AN", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI",
                           "FSI", "PDI"})
HEBREW = "".join(chr(c) for c in range(0x05D0, 0x05EB))
ARABIC = "".join(chr(c) for c in (*range(0x0621, 0x063B), *range(0x0641, 0x064B)))
LATIN = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789äöüßéèçñøåÆŒ"
         "αβγΩжшЯ&<>\"'#;/{}()[]%$€£-")


def _from(*ranges: tuple[int, int]) -> st.SearchStrategy[str]:
    return st.one_of(*(st.characters(min_codepoint=a, max_codepoint=b) for a, b in ranges))


def _left_to_right(char: str) -> bool:
    return unicodedata.bidirectional(char) not in _BIDI_CLASSES


_LATIN_WORD = st.text(st.sampled_from(LATIN), min_size=1, max_size=12)
_CJK_WORD = st.text(_from((0x4E00, 0x9FFF), (0x3041, 0x3096), (0x30A1, 0x30FA),
                          (0xAC00, 0xD7A3)), min_size=1, max_size=12)
_EMOJI_WORD = st.text(_from((0x1F300, 0x1F64F), (0x1F680, 0x1F6FF), (0x1F900, 0x1F9FF),
                            (0x2600, 0x26FF)), min_size=1, max_size=6)
_ANY_WORD = st.text(st.characters(blacklist_categories=("Cs",)).filter(_left_to_right),
                    min_size=1, max_size=12)
_SHORT_LATIN = st.text(st.sampled_from(LATIN[:62]), min_size=1, max_size=6)
_HEBREW_WORD = st.text(st.sampled_from(HEBREW), min_size=1, max_size=6)
_ARABIC_WORD = st.text(st.sampled_from(ARABIC), min_size=1, max_size=6)


def _text(word: st.SearchStrategy[str], most_words: int, longest: int
          ) -> st.SearchStrategy[str]:
    """Words joined by spaces and line breaks, the whole repeated up to `longest` times
    (so a text can run to thousands of characters without drawing each one)."""
    separators = st.sampled_from([" ", " ", " ", "\n", "  "])
    pieces = st.lists(st.tuples(word, separators), min_size=1, max_size=most_words)
    return st.tuples(pieces, st.integers(1, longest)).map(
        lambda drawn: "".join(w + s for w, s in drawn[0]) * drawn[1])


def mixed_text(most_words: int = 8, longest: int = 1) -> st.SearchStrategy[str]:
    return _text(st.one_of(_LATIN_WORD, _CJK_WORD, _EMOJI_WORD, _ANY_WORD), most_words,
                 longest)


def bidi_text(most_words: int = 8, longest: int = 1) -> st.SearchStrategy[str]:
    return _text(st.one_of(_SHORT_LATIN, _HEBREW_WORD, _ARABIC_WORD), most_words, longest)


def any_text(most_words: int = 8, longest: int = 1) -> st.SearchStrategy[str]:
    return st.one_of(mixed_text(most_words, longest), bidi_text(most_words, longest))


# -- comparing ---------------------------------------------------------------------------
def normalise(text: str) -> str:
    """Compatibility-decomposed, without marks, formatting characters or white space."""
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not c.isspace() and unicodedata.category(c)[0] != "M"
                   and unicodedata.category(c) != "Cf")


def is_bidi(text: str) -> bool:
    return any(not _left_to_right(c) for c in text)


def _stand_in(char: str, brackets: str = r"\[", closing: str = r"\]") -> str:
    return f"{brackets}U\\+{ord(char):04X}{closing}"


def _char_pattern(char: str, stand_in: str) -> str:
    plain = normalise(char)
    return f"(?:{re.escape(plain)}|{stand_in})" if plain else f"(?:{stand_in})?"


def _word_pattern(word: str) -> str:
    return "".join(_char_pattern(c, _stand_in(c)) for c in word)


def _runs(word: str) -> list[tuple[str, bool]]:
    """The word's runs of Latin letters (False) and Hebrew or Arabic letters (True)."""
    runs: list[tuple[str, bool]] = []
    for char in word:
        rtl = char in HEBREW or char in ARABIC
        if not rtl and not (char.isalpha() and _left_to_right(char)):
            runs.append(("", False))
            continue
        if runs and runs[-1][1] == rtl and runs[-1][0]:
            runs[-1] = (runs[-1][0] + char, rtl)
        else:
            runs.append((char, rtl))
    return [(run, rtl) for run, rtl in runs if run]


def missing_words(typed: str, drawn: str) -> list[str]:
    """The words of `typed` that `drawn` (a PDF's text in drawing order) lacks."""
    forward, backward = normalise(drawn), normalise(drawn[::-1])
    missing = []
    for word in typed.split():
        if is_bidi(typed):
            ok = all(_found_either_way(run, rtl, forward, backward) for run, rtl in _runs(word))
        else:
            pattern = _word_pattern(word)
            ok = not pattern or _found_wrapped(word, forward)
        if not ok:
            missing.append(word)
    return missing


def _found_either_way(run: str, rtl: bool, forward: str, backward: str) -> bool:
    if rtl:
        letters = re.escape(normalise(run))
        return bool(re.search(letters, forward) or re.search(letters, backward))
    loose = r"[\[\]]?"
    pattern = "".join(_char_pattern(c, _stand_in(c, loose, loose)) for c in run)
    return bool(re.search(pattern, forward) or re.search(pattern, backward))


def _found_wrapped(word: str, text: str) -> bool:
    """Whether `word` is in `text` — whole, or in two pieces where a table row that split
    across pages put the rest of the other cells between them."""
    if re.search(_word_pattern(word), text):
        return True
    return any(re.search(_word_pattern(word[:cut]), text)
               and re.search(_word_pattern(word[cut:]), text) for cut in range(1, len(word)))


# -- every field a user can type that reaches a PDF -------------------------------------
@dataclass(frozen=True)
class FieldTexts:
    """What the user typed into each field (the workbook trims and checks it)."""

    company: str
    stage_names: tuple[str, str, str]
    definitions: tuple[str, str, str]
    entry_criteria: str
    exit_criteria: str
    source: str
    sla_title: str
    review_cadence: str
    escalation: str
    clause_title: str
    clause_body: str
    signatory_name: str
    signatory_title: str
    plan_name: str
    rule_label: str


LONG_FIELDS = ("company", "entry_criteria", "exit_criteria", "source", "escalation",
               "clause_title", "clause_body", "rule_label")


@st.composite
def field_texts(draw: st.DrawFn, long_text: bool = True) -> FieldTexts:
    """Random text in every field; one field (or one stage definition) may run to
    thousands of characters."""
    short = any_text()
    texts = {name: draw(short) for name in FieldTexts.__dataclass_fields__
             if name not in ("stage_names", "definitions")}
    texts["stage_names"] = tuple(draw(short) for _ in range(3))
    definitions = [draw(short) for _ in range(3)]
    if long_text:
        where = draw(st.sampled_from((*LONG_FIELDS, "definition")))
        text = draw(any_text(longest=100))
        if where == "definition":
            definitions[draw(st.integers(0, 2))] = text
        else:
            texts[where] = text
    texts["definitions"] = tuple(definitions)
    return FieldTexts(**texts)
