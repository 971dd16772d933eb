"""Every app of the course by name: for tests that move every control, and for the benchmark."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from primer_lib.widgets.app import App
from primer_lib.widgets.biomarkers import threshold_app
from primer_lib.widgets.capstone import capstone_app
from primer_lib.widgets.combinations import ida_app, synergy_app
from primer_lib.widgets.cycle import cycle_diagram_app, cycle_explorer_app
from primer_lib.widgets.kuznetsov import kuznetsov_app
from primer_lib.widgets.liquid_biopsy import liquid_biopsy_app
from primer_lib.widgets.resistance import diagnose_app, resistance_app
from primer_lib.widgets.response import cases_app, lesion_tracker_app
from primer_lib.widgets.schedules import pair_app, schedule_app
from primer_lib.widgets.tumor_growth import tumor_growth_app

#: App builders keyed by a short name; each returns a fresh :class:`App` with default settings.
APPS: Mapping[str, Callable[[], App]] = MappingProxyType({
    "tumor_growth": tumor_growth_app,
    "cycle_diagram": cycle_diagram_app,
    "cycle_explorer": cycle_explorer_app,
    "kuznetsov": kuznetsov_app,
    "pair": pair_app,
    "synergy": synergy_app,
    "ida": ida_app,
    "schedule": schedule_app,
    "lesion_tracker": lesion_tracker_app,
    "response_cases": cases_app,
    "resistance": resistance_app,
    "diagnose_resistance": diagnose_app,
    "biomarker_threshold": threshold_app,
    "liquid_biopsy": liquid_biopsy_app,
    "capstone": capstone_app,
})
