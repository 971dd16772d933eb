"""Parameter and model-card records: the parts of the registry each model fills in.

A model module declares ``PARAMETERS`` (a tuple of :class:`Parameter`) and
``MODEL_CARD`` (a :class:`ModelCard`); :mod:`primer_lib.registry` gathers them.
Slider labels, tooltips, range checks and the model-card tables all read these
records, so a unit or a source is written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from primer_lib.validation import check_real


@dataclass(frozen=True)
class Parameter:
    """One model parameter with its unit, allowed range and source.

    Attributes
    ----------
    name : str
        Namespaced by model, ``"<model>.<parameter>"`` (e.g. ``"tumor_growth.growth_rate"``).
    label : str
        Words for a slider label ("Tumor growth rate").
    symbol : str
        The symbol in the model's equations (``"a"``).
    default : float
        Value used when none is given (the published one when ``calibrated``).
    unit : str
        Unit as learners read it ("1/day", "10^6 cells"); ``""`` if dimensionless.
    minimum, maximum, step : float
        Allowed range (functions reject values outside it) and slider step.
    meaning : str
        One line: what the parameter means.
    source : str
        Citation of the value, or why it is illustrative.
    calibrated : bool
        True if the default comes from data or a publication, False if illustrative.
    """

    name: str
    label: str
    symbol: str
    default: float
    unit: str
    minimum: float
    maximum: float
    step: float
    meaning: str
    source: str
    calibrated: bool

    def __post_init__(self) -> None:
        if "." not in self.name:
            raise ValueError(f"Parameter name must be '<model>.<parameter>'; got {self.name!r}")
        if not self.minimum <= self.default <= self.maximum:
            raise ValueError(f"{self.name}: default {self.default} outside [{self.minimum}, {self.maximum}]")
        if self.step <= 0:
            raise ValueError(f"{self.name}: step must be > 0; got {self.step}")

    @property
    def model(self) -> str:
        """The model namespace, the part of ``name`` before the dot."""
        return self.name.split(".", 1)[0]

    @property
    def key(self) -> str:
        """The parameter's own name, the part of ``name`` after the dot."""
        return self.name.split(".", 1)[1]

    def check(self, value: object, name: str | None = None) -> float:
        """Return ``value`` as a float, or raise naming this parameter (or ``name``, the caller's
        argument that carries it) and its range."""
        return check_real(self.key if name is None else name, value, self.minimum, self.maximum, self.unit)

    @property
    def tooltip(self) -> str:
        """Meaning, unit and source in one line, for a control's tooltip."""
        kind = "calibrated" if self.calibrated else "illustrative"
        unit = f" [{self.unit}]" if self.unit else ""
        return f"{self.meaning}{unit}. Source ({kind}): {self.source}"


@dataclass(frozen=True)
class ModelCard:
    """What a model shows, what it assumes, where it stops being right."""

    title: str
    shows: str
    assumptions: tuple[str, ...]
    limits: tuple[str, ...]
    references: tuple[str, ...]
    equations: tuple[str, ...] = field(default=())
