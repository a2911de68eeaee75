"""What the one-folder bundle carries besides code: every data file the app reads at run
time, and the package metadata (with its licence texts) of what the bundle ships.

The spec (alignment-workbench.spec) imports this, and tests/packaging/test_bundle_data.py
scans the source for every file the app loads and checks each is listed here, so a new
icon, template or style sheet cannot be left out of the installed app.

Package metadata: Help → About reads the app's version and the libraries it ships (with
their licences) through importlib.metadata. The bundle carries this tree's own metadata,
written from pyproject.toml (`write_app_metadata`), and that of every distribution the
app's requirements reach (`shipped_distributions`), as About walks them.

Plain Python with no PyInstaller import, so the test can load it too.
"""

from __future__ import annotations

import importlib.util
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The app's own packages: whatever non-Python file sits in them is loaded by something
# (a template, an icon, a style sheet), so all of them ship.
PACKAGES = ("resources", "ui", "reports", "workbench")
SKIPPED_SUFFIXES = {".py", ".pyc", ".pyi"}
# reports/fonts.py falls back to the Bitstream Vera family that reportlab ships when the
# system has no DejaVu Sans; PyInstaller's reportlab hooks leave reportlab/fonts out.
REPORTLAB_FONTS = ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf", "VeraBI.ttf",
                   "bitstream-vera-license.txt")
# Required by a library but left out of the bundle (pip, should a library ask for it only
# for an `install` command of its own): About in the bundle does not list them.
NOT_SHIPPED = frozenset({"pip"})


def app_data_files(root: Path = ROOT) -> list[tuple[Path, str]]:
    """Every non-Python file of the app's packages, as (source file, folder in the bundle)."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if (path.is_file() and path.suffix not in SKIPPED_SUFFIXES
                    and "__pycache__" not in path.parts):
                found.append((path, path.parent.relative_to(root).as_posix()))
    return found


def library_data_files() -> list[tuple[Path, str]]:
    """Data files of libraries that the app opens by path and no PyInstaller hook collects."""
    spec = importlib.util.find_spec("reportlab")
    if spec is None or spec.origin is None:
        raise SystemExit("reportlab is not installed: the bundle needs its fonts")
    fonts = Path(spec.origin).parent / "fonts"
    return [(fonts / name, "reportlab/fonts") for name in REPORTLAB_FONTS]


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """The spec's `datas`: (source file, folder in the bundle) pairs, as strings."""
    return [(str(source), folder)
            for source, folder in app_data_files(root) + library_data_files()]


def _key(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


def app_requirements(root: Path = ROOT) -> list[str]:
    """The app's dependencies as pyproject.toml states them."""
    with open(root / "pyproject.toml", "rb") as file:
        return list(tomllib.load(file)["project"]["dependencies"])


def shipped_distributions(root: Path = ROOT) -> list[str]:
    """Every installed distribution the app's requirements reach (not extras; markers as
    they hold here), less NOT_SHIPPED: the metadata About reads."""
    from packaging.requirements import Requirement

    todo, found = [Requirement(text) for text in app_requirements(root)], {}
    while todo:
        requirement = todo.pop()
        if _key(requirement.name) in found or _key(requirement.name) in NOT_SHIPPED:
            continue
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        try:
            dist = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            continue
        found[_key(requirement.name)] = dist.metadata["Name"]
        todo.extend(Requirement(text) for text in dist.requires or [])
    return sorted(found.values(), key=str.lower)


def write_app_metadata(out: Path, root: Path = ROOT) -> Path:
    """Write this tree's own package metadata (name, version, licence, requirements) as a
    .dist-info folder under `out`, as pip would install it; returns the folder."""
    with open(root / "pyproject.toml", "rb") as file:
        project = tomllib.load(file)["project"]
    from workbench import __version__ as version

    name = project["name"]
    folder = out / f"{name.replace('-', '_')}-{version}.dist-info"
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["Metadata-Version: 2.4", f"Name: {name}", f"Version: {version}",
             f"Summary: {project['description']}",
             f"License-Expression: {project['license']}",  # an SPDX expression (PEP 639)
             f"Requires-Python: {project['requires-python']}"]
    lines += [f"Requires-Dist: {requirement}" for requirement in project["dependencies"]]
    (folder / "METADATA").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "INSTALLER").write_text("packaging/build.sh\n", encoding="utf-8")
    return folder


def bundled(datas: list[tuple[str, str]], path: Path) -> str | None:
    """Where `path` lands in the bundle according to `datas`, or None if it is not there."""
    for source, folder in datas:
        if Path(source) == path:
            return f"{folder}/{path.name}"
        if Path(source).is_dir() and path.is_relative_to(source):
            return f"{folder}/{path.relative_to(source).as_posix()}"
    return None


# Libraries every Linux desktop has, which break when an app brings its own copy (an old
# libstdc++ keeps the system's GL driver from loading; fontconfig's and GLib's must match
# the system's configuration): the AppImage project's exclude list, as far as the bundle
# would carry them. What only they link to goes too.
SYSTEM_LIBRARIES = frozenset({
    "libc.so.6", "libm.so.6", "libgcc_s.so.1", "libstdc++.so.6", "libz.so.1",
    "libexpat.so.1", "libuuid.so.1", "libcom_err.so.2", "libgpg-error.so.0",
    "libfontconfig.so.1", "libfreetype.so.6", "libharfbuzz.so.0", "libfribidi.so.0",
    "libglib-2.0.so.0", "libgio-2.0.so.0", "libgobject-2.0.so.0", "libX11.so.6",
    "libxcb.so.1", "libEGL.so.1", "libGL.so.1", "libGLX.so.0", "libdrm.so.2",
})


def needed_binaries(binaries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """`binaries` (PyInstaller's (name in bundle, source, kind) entries) less the plain
    shared libraries that no kept binary links to (ELF NEEDED), followed transitively from
    what Python or Qt loads by itself: extension modules, plugins, ctypes libraries; and
    less SYSTEM_LIBRARIES, which the desktop provides."""
    by_name = {Path(name).name: (name, source) for name, source, _ in binaries
               if Path(name).name not in SYSTEM_LIBRARIES}

    def library(name: str) -> bool:
        folder = Path(name).parent.as_posix()
        return ((folder in (".", "PySide6/Qt/lib") or folder.endswith(".libs"))
                and ".cpython-" not in name
                and not Path(name).name.startswith("libpython"))

    wanted = [name for name, _, _ in binaries if not library(name)]
    kept = set(wanted)
    while wanted:
        source = by_name.get(Path(wanted.pop()).name, (None, None))[1]
        for needed in _elf_needed(source) if source else ():
            entry = by_name.get(needed)
            if entry is not None and entry[0] not in kept:
                kept.add(entry[0])
                wanted.append(entry[0])
    return [entry for entry in binaries if entry[0] in kept]


def live_links(datas: list[tuple[str, str, str]],
               binaries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """`datas` less the SYMLINK entries (PyInstaller links a library kept in a package's
    folder into the top level) whose library is no longer in `binaries`."""
    import posixpath

    names = {name for name, _, _ in binaries} | {name for name, _, kind in datas
                                                if kind != "SYMLINK"}
    return [(name, target, kind) for name, target, kind in datas
            if kind != "SYMLINK" or posixpath.normpath(
                posixpath.join(posixpath.dirname(name), target)) in names]


def _elf_needed(path: str) -> list[str]:
    """The sonames a shared object links to directly (readelf, from binutils)."""
    import subprocess

    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True).stdout
    return [line.split("[", 1)[1].rstrip("]") for line in out.splitlines()
            if "(NEEDED)" in line and "[" in line]
