"""TooltipBridge: labelled dropdowns and checkboxes get their tooltips into the page.

The browser tests (tests/browser/exercise.py, assert_controls_show_tooltips) check the page
itself; these check which controls are bridged and that every app and dashboard carries one.
"""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from primer_lib.widgets.catalog import APPS
from primer_lib.widgets.dashboards import DASHBOARDS
from primer_lib.widgets.tooltips import UNSHOWN, TooltipBridge, tooltip_bridge


def test_bridge_takes_dropdowns_and_checkboxes_with_a_tooltip_only():
    dropdown = widgets.Dropdown(options=["a"], description="Marker", tooltip="What the marker is")
    checkbox = widgets.Checkbox(description="anti-PD-1", tooltip="Blocks PD-1")
    silent = widgets.Checkbox(description="no tip")
    slider = widgets.FloatSlider(description="Rate", tooltip="Shown by ipywidgets itself")
    assert tooltip_bridge([dropdown, checkbox, silent, slider]).targets == [dropdown, checkbox]


def test_bridge_is_hidden_and_rejects_what_is_not_a_control():
    assert TooltipBridge([]).layout.display == "none"
    with pytest.raises(TypeError, match="targets must be ipywidgets controls; got str"):
        TooltipBridge(["Marker"])  # type: ignore[list-item]


def test_apps_are_checked():
    assert len(APPS) >= 10 and len(DASHBOARDS) >= 5


@pytest.mark.parametrize("name", sorted(APPS))
def test_every_app_bridges_each_unshown_tooltip(name):
    app = APPS[name]()
    assert app.tooltips is not None and app.tooltips in app.widget.children
    unshown = [c for c in app.controls.values() if isinstance(c, UNSHOWN)]
    assert app.tooltips.targets == [c for c in unshown if c.tooltip]
    assert all(c.tooltip for c in unshown), "every dropdown and checkbox has a tooltip"


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_every_dashboard_keeps_its_apps_bridge(name):
    board = DASHBOARDS[name]()
    assert board.app.tooltips in board.widget.children
