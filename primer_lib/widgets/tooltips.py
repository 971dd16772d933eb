"""Show the tooltips of labelled dropdowns and checkboxes, which ipywidgets 8 drops.

ipywidgets 8.1 puts a control's ``tooltip`` in the page only when the control has no
``description``; a labelled Dropdown or Checkbox shows nothing on hover (ipywidgets
issue #3964; a Checkbox shows its own label instead). Sliders are not affected. The
course's tooltips carry each control's meaning, source and glossary definitions, so a
hidden :class:`TooltipBridge` in every app copies each target's ``tooltip`` onto the
target's element in the page, and keeps it there when it changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

# Whole widget element gets the title; the titles ipywidgets set inside it (a checkbox's
# own label) are removed so the browser shows ours wherever the pointer is.
_ESM = """
const PREFIX = "IPY_MODEL_";

function show(view, tip) {
  if (!view || !view.el) return;
  for (const inner of view.el.querySelectorAll("[title]")) inner.removeAttribute("title");
  if (tip) view.el.setAttribute("title", tip); else view.el.removeAttribute("title");
}

async function bridge(manager, ref) {
  const target = await manager.get_model(ref.slice(PREFIX.length));
  const apply = () => {
    for (const pending of Object.values(target.views || {})) {
      pending.then((view) => show(view, target.get("tooltip")));
    }
  };
  apply();
  // ipywidgets rewrites the titles when a label or tooltip changes: apply ours again after it.
  target.on("change:tooltip change:description", () => setTimeout(apply, 0));
  return apply;
}

function render({ model }) {
  const applies = (model.get("targets") || []).map((ref) => bridge(model.widget_manager, ref));
  // Sibling views may still be attaching when this renders: apply once more afterwards.
  setTimeout(() => applies.forEach((p) => p.then((apply) => apply())), 0);
}

export default { render };
"""

# The course's controls whose tooltip ipywidgets 8 leaves out of the page when they have a label
# (sliders show theirs).
UNSHOWN = (widgets.Dropdown, widgets.Checkbox)


class TooltipBridge(anywidget.AnyWidget):
    """A hidden widget that shows its targets' ``tooltip`` on hover in the page."""

    _esm = _ESM
    targets = traitlets.List(traitlets.Instance(widgets.DOMWidget)).tag(
        sync=True, **widgets.widget_serialization)

    def __init__(self, targets: Iterable[widgets.DOMWidget], **kwargs: Any) -> None:
        chosen = list(targets)
        for target in chosen:
            if not isinstance(target, widgets.DOMWidget):
                raise TypeError(f"targets must be ipywidgets controls; got {type(target).__name__}")
        super().__init__(targets=chosen, layout=widgets.Layout(display="none"), **kwargs)


def tooltip_bridge(controls: Iterable[widgets.Widget]) -> TooltipBridge:
    """A bridge for those ``controls`` whose tooltip ipywidgets would not show."""
    return TooltipBridge([c for c in controls if isinstance(c, UNSHOWN) and c.tooltip])
