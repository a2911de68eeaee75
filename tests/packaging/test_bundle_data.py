"""Every file the app loads at run time is in the desktop bundle: the source is scanned for
the ways it names a data file (resources' ROOT, a path beside the module, a file name in a
string, reportlab's fonts, importlib.resources or .metadata), and each must be listed by
packaging/bundle_data.py at the place the code will look for it. A new icon, template or
style sheet cannot be forgotten by the installed app."""

from __future__ import annotations

import ast
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from workbench import __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("ui", "workbench", "reports", "resources")
DATA_SUFFIXES = (".json", ".svg", ".qss", ".png", ".ttf", ".ttc", ".csv", ".xml", ".txt", ".md")


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle_data = _load("bundle_data")
DATAS = bundle_data.data_files()


def _sources() -> list[Path]:
    return [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]


def _where(path: Path) -> str | None:
    return bundle_data.bundled(DATAS, path.resolve())


def _in_bundle_as_in_source(path: Path) -> None:
    """`path` (a file of the source tree) ships, at the same place relative to the root,
    which is where `Path(__file__)`-relative code in the bundle looks for it."""
    assert path.is_file(), f"{path.relative_to(ROOT)} is loaded but does not exist"
    assert _where(path) == path.relative_to(ROOT).as_posix(), (
        f"{path.relative_to(ROOT)} is loaded at run time but packaging/bundle_data.py does "
        "not put it in the bundle")


def _string_parts(node: ast.AST) -> list[str] | None:
    """The string operands of a `/` chain (`ROOT / "icons" / "app.svg"`) after its head."""
    parts: list[str] = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        if not (isinstance(node.right, ast.Constant) and isinstance(node.right.value, str)):
            return None
        parts.insert(0, node.right.value)
        node = node.left
    return parts or None


def _chain_head(node: ast.AST) -> ast.AST:
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        node = node.left
    return node


def _beside_module(node: ast.AST) -> bool:
    """Whether `node` is the module's folder: Path(__file__)[.resolve()].parent."""
    text = ast.unparse(node).replace(".resolve()", "")
    return text in ("Path(__file__).parent", "Path(__file__).absolute().parent")


def test_every_data_file_of_the_app_ships_where_the_source_has_it() -> None:
    files = [path for package in PACKAGES for path in (ROOT / package).rglob("*")
             if path.is_file() and path.suffix not in (".py", ".pyc")
             and "__pycache__" not in path.parts]
    assert files, "no data files found: has the tree moved?"
    for path in files:
        _in_bundle_as_in_source(path)


def test_every_path_the_code_builds_ships() -> None:
    found = 0
    for source in _sources():
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
                parts, head = _string_parts(node), _chain_head(node)
                if parts is None:
                    continue
                if isinstance(head, ast.Name) and head.id == "ROOT" and _uses_resources_root(
                        tree):
                    base = ROOT / "resources"
                elif _beside_module(head):
                    base = source.parent
                else:
                    continue
                target = base.joinpath(*parts)
                if target.is_dir():
                    continue  # a folder: its files are checked where they are named
                found += 1
                _in_bundle_as_in_source(target)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "with_name"
                    and "Path(__file__)" in ast.unparse(node.func.value)):
                name = node.args[0]
                assert isinstance(name, ast.Constant), ast.unparse(node)
                found += 1
                _in_bundle_as_in_source(source.parent / str(name.value))
    assert found >= 5, f"only {found} loaded paths found: has the way files are named changed?"


def _uses_resources_root(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.ImportFrom) and node.module == "resources"
               and any(alias.name == "ROOT" for alias in node.names)
               for node in ast.walk(tree)) or isinstance(tree, ast.Module) and any(
        isinstance(node, ast.Assign) and ast.unparse(node).startswith("ROOT = Path(__file__)")
        for node in tree.body)


def test_every_data_file_named_in_a_string_ships() -> None:
    """A file named only by a string (however its path is put together) ships too."""
    by_name: dict[str, list[Path]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if path.suffix in DATA_SUFFIXES:
                by_name.setdefault(path.name, []).append(path)
    for source in _sources():
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and node.value.endswith(DATA_SUFFIXES):
                for path in by_name.get(Path(node.value).name, []):
                    _in_bundle_as_in_source(path)


def test_the_fonts_the_pdfs_fall_back_to_ship() -> None:
    from reports import fonts

    names = set(fonts._VERA)
    assert names <= set(bundle_data.REPORTLAB_FONTS)
    shipped = {Path(source).name for source, folder in DATAS if folder == "reportlab/fonts"}
    assert names <= shipped
    assert all(Path(source).is_file() for source, _ in DATAS)


def test_no_package_data_is_read_in_ways_the_bundle_does_not_know() -> None:
    """importlib.resources and pkgutil need their own entries in bundle_data.py
    (collect_data_files); importlib.metadata is read by Help → About and for the version
    only, which the bundle's metadata covers (the tests below). Whoever reads package data
    another way adds it to bundle_data.py and teaches this test."""
    readers = ("importlib.resources", "pkgutil", "pkg_resources", "importlib.metadata")
    metadata_readers = {"ui/shell/help_about.py", "ui/shell/settings.py"}
    for source in _sources():
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                if name == "importlib.metadata" and \
                        source.relative_to(ROOT).as_posix() in metadata_readers:
                    continue
                assert not name.startswith(readers), (
                    f"{source.relative_to(ROOT)} imports {name}: add what it reads to "
                    "packaging/bundle_data.py and to this test")


def test_about_in_the_bundle_lists_every_library_the_bundle_ships_metadata_of(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """About walks the app's requirements from its metadata; in the bundle that is the
    metadata written from this tree's pyproject.toml (the venv's may be older)."""
    from importlib.metadata import PathDistribution

    from ui.shell import help_about

    ours = PathDistribution(bundle_data.write_app_metadata(tmp_path))
    installed = help_about.metadata.distribution
    monkeypatch.setattr(help_about.metadata, "distribution", lambda name: ours
                        if name == help_about.DISTRIBUTION else installed(name))
    listed = {bundle_data._key(library.name) for library in help_about.bundled_libraries()}
    shipped = {bundle_data._key(name) for name in bundle_data.shipped_distributions()}
    assert shipped == listed - bundle_data.NOT_SHIPPED


def test_the_apps_own_metadata_is_this_trees(tmp_path: Path) -> None:
    import tomllib
    from importlib.metadata import PathDistribution

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    dist = PathDistribution(bundle_data.write_app_metadata(tmp_path))
    assert (dist.metadata["Name"], dist.version) == (project["name"], __version__)
    assert dist.requires == project["dependencies"]
    assert dist.metadata["License-Expression"] == project["license"] == "LicenseRef-Proprietary"


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("readelf") is None,
                    reason="needs Linux and readelf (binutils)")
def test_libraries_only_a_dropped_plugin_needed_are_dropped() -> None:
    import PySide6

    qt = Path(PySide6.__file__).parent
    binaries = [
        ("PySide6/QtCore.abi3.so", str(qt / "QtCore.abi3.so"), "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Core.so.6", str(qt / "Qt/lib/libQt6Core.so.6"), "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", str(qt / "Qt/lib/libQt6Network.so.6"),
         "BINARY"),
    ]
    stdcpp = next((Path(folder) / "libstdc++.so.6" for folder in (
        "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu")
        if (Path(folder) / "libstdc++.so.6").exists()), None)
    if stdcpp is not None:  # Qt Core links it; the desktop has it
        binaries.append(("libstdc++.so.6", str(stdcpp), "BINARY"))
    kept = [name for name, _, _ in bundle_data.needed_binaries(binaries)]
    assert kept == ["PySide6/QtCore.abi3.so", "PySide6/Qt/lib/libQt6Core.so.6"]


def test_links_to_dropped_libraries_are_dropped() -> None:
    binaries = [("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY")]
    datas = [("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
             ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
             ("resources/icons/app.svg", "/x/app.svg", "DATA")]
    assert [name for name, _, _ in bundle_data.live_links(datas, binaries)] == [
        "libQt6Core.so.6", "resources/icons/app.svg"]
