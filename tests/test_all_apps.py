"""Every app in the catalog: each control changes its chart; no app is missing from the catalog."""

import importlib
import inspect
import pkgutil

import pytest

import primer_lib.widgets
from primer_lib.widgets.app import App
from primer_lib.widgets.catalog import APPS
from tests.app_checks import assert_every_control_changes_the_chart


def test_catalog_is_not_empty_and_lists_every_app_builder():
    assert APPS
    builders = set()
    for module in pkgutil.iter_modules(primer_lib.widgets.__path__):
        loaded = importlib.import_module(f"primer_lib.widgets.{module.name}")
        builders |= {f for name, f in inspect.getmembers(loaded, inspect.isfunction)
                     if name.endswith("_app") and name != "build_app" and f.__module__ == loaded.__name__}
    assert builders <= set(APPS.values()), f"not in the catalog: {builders - set(APPS.values())}"


@pytest.mark.parametrize("name", sorted(APPS))
def test_every_control_changes_its_chart(name):
    app = APPS[name]()
    assert isinstance(app, App)
    assert_every_control_changes_the_chart(app)
