"""Model cards rendered as Markdown, from each model's card and registry entries."""

from __future__ import annotations

from primer_lib import cycle
from primer_lib.registry import model_cards, registry
from primer_lib.validation import check_choice


def model_card_markdown(model: str, folded: bool = False) -> str:
    """The model card of ``model`` (e.g. ``"tumor_growth"``) as Markdown.

    Sections: what it shows, equations, assumptions, limits, a parameter table
    (symbol, meaning, default, unit, range, calibrated or illustrative, source)
    and references. ``folded`` puts all but the title and what it shows in a
    collapsed ``<details>`` block (a lesson keeps the card without its length).
    """
    if not isinstance(folded, bool):
        raise TypeError(f"folded must be True or False; got {folded!r}")
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
    if folded:  # blank lines around the Markdown inside <details>, so it is still rendered as Markdown
        summary = "<summary>Equations, assumptions, limits, parameters and references</summary>"
        lines[4:4] = ["<details>", summary, ""]
        lines += ["", "</details>"]
    return "\n".join(lines)


def cycle_steps_markdown() -> str:
    """The seven steps of the cancer-immunity cycle as a Markdown table, from :data:`primer_lib.cycle.STEPS`.

    Columns: step, what happens, the cells doing it, what speeds it up, what slows it down,
    and the therapies acting there in the model (:data:`primer_lib.cycle.THERAPIES`), with those
    that also act there in patients but not in the model (:data:`primer_lib.cycle.ALSO_ACTS`).
    """
    lines = ["| Step | What happens | Cells | Speeds it up | Slows it down "
             "| Therapies acting here (in the model) |", "|---|---|---|---|---|---|"]
    notes = []
    for step in cycle.STEPS:
        acting = ", ".join(t.id for t in cycle.THERAPIES.values() if step.number in t.steps) or "–"
        if step.number in cycle.ALSO_ACTS:
            also, source = cycle.ALSO_ACTS[step.number]
            acting += f"; in patients also {', '.join(also)}*"
            notes.append(f"\\* Not in the model, which puts {' and '.join(also)} at step 7 only. "
                         f"Source: {source}.")
        lines.append(f"| {step.number} | {step.name} | {step.cells} | {', '.join(step.stimulatory) or '–'} | "
                     f"{', '.join(step.inhibitory) or '–'} | {acting} |")
    return "\n".join(lines + ["", *notes, "", f"Steps and factors: {cycle.CHEN_MELLMAN_2013}."])
