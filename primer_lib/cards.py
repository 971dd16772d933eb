"""Model cards rendered as Markdown, from each model's card and registry entries."""

from __future__ import annotations

from primer_lib.registry import model_cards, registry
from primer_lib.validation import check_choice


def model_card_markdown(model: str) -> str:
    """The model card of ``model`` (e.g. ``"tumor_growth"``) as Markdown.

    Sections: what it shows, equations, assumptions, limits, a parameter table
    (symbol, meaning, default, unit, range, calibrated or illustrative, source)
    and references.
    """
    cards = model_cards()
    check_choice("model", model, sorted(cards))
    card = cards[model]
    lines = [f"#### Model card: {card.title}", "", f"**What it shows.** {card.shows}", ""]
    if card.equations:
        lines += ["**Equations.**", ""] + [f"- `{eq}`" for eq in card.equations] + [""]
    lines += ["**Assumptions.**", ""] + [f"- {a}" for a in card.assumptions] + [""]
    lines += ["**Limits.**", ""] + [f"- {lim}" for lim in card.limits] + [""]
    lines += ["| Symbol | Parameter | Default | Unit | Range | Kind | Source |",
              "|---|---|---|---|---|---|---|"]
    for p in registry().values():
        if p.model == model:
            kind = "calibrated" if p.calibrated else "illustrative"
            lines.append(f"| {p.symbol} | {p.meaning} | {p.default:g} | {p.unit or '–'} | "
                         f"{p.minimum:g}–{p.maximum:g} | {kind} | {p.source} |")
    lines += ["", "**References.**", ""] + [f"- {r}" for r in card.references]
    return "\n".join(lines)
