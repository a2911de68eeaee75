"""A workbook is recognised by its content, not only its name: "*.awb" is also AMR-WB
audio's extension, so file managers and dialogs showed workbooks as audio. The MIME
definition in packaging/ matches SQLite's header with our application id at byte 68."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from workbench.schema import APPLICATION_ID

ROOT = Path(__file__).parents[2]
DEFINITION = ROOT / "packaging" / "alignment-workbench-mime.xml"
TYPE = "application/x-alignment-workbench"
NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}

_ASK = """
import sys
from PySide6.QtCore import QCoreApplication, QMimeDatabase
app = QCoreApplication([])
database = QMimeDatabase()
print("\\n".join(database.mimeTypeForFile(path).name() for path in sys.argv[1:]))
"""


def test_the_magic_names_our_application_id() -> None:
    matches = ET.parse(DEFINITION).getroot().findall(".//m:magic/m:match", NS)
    assert matches[0].get("value") == "SQLite format 3" and matches[0].get("offset") == "0"
    inner = matches[0].find("m:match", NS)
    assert inner is not None and inner.get("offset") == "68"
    assert int(inner.get("value", ""), 16) == APPLICATION_ID


def test_the_desktop_recognises_a_workbook_by_its_content(
        demo_path: Path, tmp_path: Path) -> None:
    if shutil.which("update-mime-database") is None:
        pytest.skip("update-mime-database is missing: apt-get install shared-mime-info")
    packages = tmp_path / "share" / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copy(DEFINITION, packages)
    subprocess.run(["update-mime-database", str(packages.parent)], check=True,
                   capture_output=True)
    named, renamed = tmp_path / "Plan 2027.awb", tmp_path / "sent by mail.bin"
    shutil.copy(demo_path, named)
    shutil.copy(demo_path, renamed)
    other_sqlite = tmp_path / "other.db"
    other_sqlite.write_bytes(b"SQLite format 3\x00" + bytes(84))
    system = "/usr/local/share:/usr/share"
    found = subprocess.run(
        [sys.executable, "-c", _ASK, str(named), str(renamed), str(other_sqlite)],
        capture_output=True, text=True, check=True,
        env={"XDG_DATA_DIRS": f"{tmp_path / 'share'}:{system}", "QT_QPA_PLATFORM": "offscreen",
             "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}).stdout.split()
    assert found[:2] == [TYPE, TYPE]
    assert found[2] != TYPE  # another SQLite file is not taken for a workbook
