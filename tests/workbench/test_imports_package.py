"""The imports package loads each importer only when one of its names is used."""

from __future__ import annotations

import pytest


def test_every_name_the_imports_package_lists_loads() -> None:
    """Its names load on first use; each must come from the module it is said to be in."""
    import importlib
    import types

    import workbench.imports as imports

    assert set(imports.__all__) == set(imports._MODULE_OF)
    for module in set(imports._MODULE_OF.values()):  # a module loaded first, by another
        importlib.import_module(f"workbench.imports.{module}")
    for name in imports.__all__:
        value = getattr(imports, name)
        assert value is not None and not isinstance(value, types.ModuleType), name
    with pytest.raises(AttributeError):
        _ = imports.no_such_name
