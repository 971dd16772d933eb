"""The parameter registry: every model parameter of the course, by namespaced name.

Models declare their parameters next to their equations (``PARAMETERS`` in each
model module); this module gathers them so that sliders, tooltips, range checks
and model cards all read one record per parameter. Add a new model module to
``MODEL_MODULES`` and its parameters join the registry.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType, ModuleType

from primer_lib import (
    biomarkers,
    capstone,
    combinations,
    cycle,
    kuznetsov,
    liquid_biopsy,
    resistance,
    response,
    schedules,
    tumor_growth,
)
from primer_lib.parameters import ModelCard, Parameter

#: Model modules whose ``PARAMETERS`` and ``MODEL_CARD`` make up the registry.
MODEL_MODULES: tuple[ModuleType, ...] = (tumor_growth, cycle, kuznetsov, schedules, combinations,
                                         response, resistance, biomarkers, liquid_biopsy,
                                         capstone)


@functools.cache
def registry() -> Mapping[str, Parameter]:
    """All parameters keyed by ``"<model>.<parameter>"`` (read-only)."""
    entries: dict[str, Parameter] = {}
    for module in MODEL_MODULES:
        for parameter in module.PARAMETERS:
            if parameter.name in entries:
                raise RuntimeError(f"parameter {parameter.name!r} is declared twice")
            entries[parameter.name] = parameter
    return MappingProxyType(entries)


def parameter(name: str) -> Parameter:
    """Look up one parameter; unknown names raise ``ValueError`` listing the model's names."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a str like 'tumor_growth.growth_rate'; got {type(name).__name__}")
    entries = registry()
    if name not in entries:
        model = name.split(".", 1)[0]
        known = sorted(n for n in entries if n.startswith(model + ".")) or sorted(entries)
        raise ValueError(f"name must be a registered parameter, one of {known}; got {name!r}")
    return entries[name]


def model_cards() -> Mapping[str, ModelCard]:
    """Each model's card keyed by its namespace (the module's short name)."""
    return MappingProxyType({m.__name__.rsplit(".", 1)[1]: m.MODEL_CARD for m in MODEL_MODULES})
