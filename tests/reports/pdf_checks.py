"""Reading a PDF the way an outside viewer does (poppler's pdftotext, pdffonts and
pdfimages, qpdf), for the report tests: its text, where each word sits, which fonts it
embeds, and whether it holds raster images."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

A4 = (595.28, 841.89)
MARGIN = 56.69  # 20 mm, as reports.layout
HEADER_BOTTOM = 50.0  # points from the top: the header line sits at 12 mm
FOOTER_TOP = A4[1] - 48.0  # the footer rule is at 15 mm from the bottom


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is missing: apt-get install poppler-utils qpdf")
    return path


def qpdf_check(path: Path) -> None:
    result = subprocess.run([_tool("qpdf"), "--check", str(path)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def text(path: Path) -> str:
    """The PDF's text in reading order with all runs of white space as one space, so a
    name wrapped over several lines reads as typed."""
    out = subprocess.run([_tool("pdftotext"), str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.split())


def page_texts(path: Path) -> list[str]:
    out = subprocess.run([_tool("pdftotext"), str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [" ".join(page.split()) for page in out.split("\f") if page.strip()]


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def words(path: Path) -> list[Word]:
    """Every word with its box in points (origin top left), from `pdftotext -bbox`."""
    return _bbox_words(_bbox_html(path, "-bbox"))


def _bbox_words(html: str) -> list[Word]:
    found, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                          r'yMax="([-\d.]+)">(.*)</word>', line)
        if match:
            x0, y0, x1, y1 = (float(match.group(i)) for i in range(1, 5))
            found.append(Word(page, unescape(match.group(5)), x0, y0, x1, y1))
    return found


def words_off_the_page(path: Path) -> list[Word]:
    """Words that run into the side margins or off the page (header and footer included:
    they sit inside the side margins too)."""
    return [w for w in words(path)
            if w.x0 < MARGIN - 1 or w.x1 > A4[0] - MARGIN + 1 or w.y0 < 0 or w.y1 > A4[1]]


def raster_images(path: Path) -> int:
    """How many raster images the PDF holds: `pdfimages -list`, cross-checked by looking
    for an image XObject in the file (reportlab writes object dictionaries uncompressed)."""
    data = path.read_bytes()
    by_bytes = len(re.findall(rb"/Subtype\s*/Image", data))
    if shutil.which("pdfimages") is None:
        return by_bytes
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True,
                             text=True, check=True).stdout.splitlines()
    return max(len(listing) - 2, by_bytes)  # two header lines


def page_count(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


@dataclass(frozen=True)
class PdfFont:
    name: str
    embedded: bool


def fonts(path: Path) -> list[PdfFont]:
    """Every font the PDF refers to, as `pdffonts` lists it (name, and "emb" yes/no)."""
    out = subprocess.run([_tool("pdffonts"), str(path)], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    found = []
    for line in out[2:]:  # two header lines
        name, *rest = line.split()
        emb = rest[-5]  # … emb sub uni object ID
        found.append(PdfFont(name, emb == "yes"))
    return found


def drawn_words(path: Path) -> list[Word]:
    """Every word in the order it is drawn (`pdftotext -raw -bbox`), each spelt as drawn:
    right-to-left text comes out in visual order."""
    return _bbox_words(_bbox_html(path, "-raw", "-bbox"))


def _bbox_html(path: Path, *options: str) -> str:
    # poppler writes the document's metadata (the author is the company) with characters
    # beyond U+FFFF as two UTF-8-encoded surrogates: read those, they are not words.
    return subprocess.run([_tool("pdftotext"), *options, str(path), "-"], capture_output=True,
                          encoding="utf-8", errors="surrogatepass", check=True).stdout


def body_text(path: Path) -> str:
    """The words between the page header and the footer, in drawing order, run together
    without white space — a word wrapped onto the next line (or page) reads as typed."""
    return "".join(w.text for w in drawn_words(path) if w.y0 > HEADER_BOTTOM
                   and w.y1 < FOOTER_TOP)
