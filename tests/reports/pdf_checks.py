"""Reading a PDF the way an outside viewer does (poppler's pdftotext and pdfimages, qpdf),
for the report tests: its text, where each word sits, and whether it holds raster images."""

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
    html = subprocess.run([_tool("pdftotext"), "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    found, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                          r"(.*)</word>", line)
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
