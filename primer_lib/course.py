"""The course map: every planned lesson, its objectives and time, linked once it exists."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Lesson:
    """One lesson of Part 2."""

    number: int
    title: str
    notebook: str  # file name under notebooks/
    minutes: int
    objectives: tuple[str, ...]


LESSONS: tuple[Lesson, ...] = (
    Lesson(0, "Start here: how this course works", "00_start_here.ipynb", 20,
           ("Use the course in JupyterLab, Voila or Binder",
            "Read a live chart: tumor growth against immune killing")),
    Lesson(1, "Goals of immunotherapy and the cancer-immunity cycle",
           "01_goals_and_the_cycle.ipynb", 60,
           ("Name the seven steps of the cancer-immunity cycle and where therapies act",
            "Tell a tumor's slowest step from the step with the most leverage",
            "Explain dormancy and escape with the Kuznetsov model, and why it shows no elimination")),
    Lesson(2, "Combination therapies", "02_combination_therapies.ipynb", 60,
           ("Tell synergy from additivity (Bliss, HSA, Loewe)",
            "Explain how sequencing and induction can turn a cold tumor hot")),
    Lesson(3, "Mechanisms of resistance", "03_mechanisms_of_resistance.ipynb", 50,
           ("Distinguish primary, acquired and adaptive resistance",
            "Link each mechanism to a way of fighting back")),
    Lesson(4, "Biomarkers and patient selection", "04_biomarkers_and_patient_selection.ipynb", 50,
           ("Read sensitivity, specificity, PPV and ROC curves for PD-L1, TMB and MSI",
            "Weigh patients eligible against response rate when choosing a cutoff")),
    Lesson(5, "Response assessment with RECIST 1.1 and iRECIST",
           "05_response_assessment_irecist.ipynb", 50,
           ("Apply RECIST 1.1 and iRECIST to a series of scans",
            "Recognise pseudoprogression and delayed response")),
    Lesson(6, "The future of immunotherapy, and a capstone", "06_future_and_capstone.ipynb", 60,
           ("Explain liquid biopsy (ctDNA) as an early response marker",
            "Design a trial for a cold tumor using every model of the course")),
)


def course_map_markdown(notebooks_dir: Path | str = ".") -> str:
    """The course map as a Markdown table; lessons whose notebook exists are linked."""
    folder = Path(notebooks_dir)
    if not folder.is_dir():
        raise ValueError(f"notebooks_dir must be an existing folder; got {str(folder)!r}")
    rows = ["| Lesson | You will be able to … | Time |", "|---|---|---|"]
    for lesson in LESSONS:
        name = f"{lesson.number:02d} · {lesson.title}"
        if (folder / lesson.notebook).exists():
            name = f"[{name}]({lesson.notebook})"
        else:
            name += " *(coming soon)*"
        rows.append(f"| {name} | {'; '.join(lesson.objectives)} | {lesson.minutes} min |")
    return "\n".join(rows)


def notebook_title(path: Path | str) -> str | None:
    """The first ``# `` heading in a notebook's Markdown cells, or None (also for an unreadable file).

    The Voila tree (voila.py) and the static site title notebooks with it.
    """
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a str or Path to a notebook; got {type(path).__name__}")
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return None
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        for line in ("".join(source) if isinstance(source, list) else str(source)).splitlines():
            if line.startswith("# ") and line[2:].strip():
                return line[2:].strip()
    return None
