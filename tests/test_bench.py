"""primer_lib.devtools.bench: budget verdicts, the table (worst first, over-budget rows summarised),
moves that always change the value, and the command line. No browser, server or notebook runs."""

import json
import random

import ipywidgets as widgets
import pytest

from primer_lib.devtools import bench
from primer_lib.devtools.bench import (
    NO_BUDGET,
    PAGE_COLD_BUDGET,
    TRIAL_BUDGET,
    UPDATE_BUDGET,
    Budget,
    budget_ratio,
    finish,
    make_row,
    markdown,
    next_control_value,
    parse_args,
    worst_first,
)

MACHINE = {"cores": 2, "ram_gb": 24.0, "python": "3.11", "platform": "test", "packages": {"numpy": "2"},
           "load_average_at_start": [0.5, 0.4, 0.3], "load_average_at_end": [1.0, 0.5, 0.3]}


def control(name, values, budget=UPDATE_BUDGET, unit="ms", **kwargs):
    return make_row("updates", "app a", name, values, unit, budget, **kwargs)


def result_of(*rows, **extra):
    sections = {}
    for row in rows:
        sections.setdefault(row["section"], []).append(row)
    return finish({"date": "2026-11-24T18:00:00+00:00", "runtime_s": 600, "machine": MACHINE,
                   "sections": sections, **extra})


def test_verdict_checks_median_and_p95_limits():
    assert control("fast", [2.0, 3.0, 2.5])["within"] is True
    assert control("slow", [25.0] * 5)["within"] is False  # median over 20
    assert control("spiky", [5.0] * 18 + [60.0] * 2)["within"] is False  # p95: the 19th of 20, over 50
    assert control("one spike in 20", [5.0] * 19 + [60.0])["within"] is True


def test_single_limit_budgets_judge_the_p95_and_no_budget_is_not_judged():
    trial = control("Run trial", [900.0, 1500.0, 2100.0], TRIAL_BUDGET)
    assert trial["p95"] == 2100.0 and trial["within"] is False
    page = make_row("pages", "00.ipynb", "cold", [4.0, 5.0, 5.5], "s", PAGE_COLD_BUDGET)
    assert page["within"] is True and page["median"] == 5.0
    install = make_row("install", "fresh venv", "size", [600.0], "MB", NO_BUDGET)
    assert install["within"] is None and budget_ratio(install) == 0.0


def test_a_row_without_values_or_with_failed_moves_is_over_budget():
    failed = control("broken", [], error="chart never drew")
    assert failed["within"] is False and failed["median"] is None and budget_ratio(failed) == float("inf")
    partly = control("flaky", [3.0, 4.0], error="1 of 3 moves did not redraw")
    assert partly["within"] is False


def test_rows_sort_by_share_of_budget_used_failures_first():
    rows = [control("fast", [2.0]), control("trial", [1900.0], TRIAL_BUDGET), control("slow", [25.0]),
            control("broken", [], error="x")]
    assert [r["item"] for r in worst_first(rows)] == ["broken", "slow", "trial", "fast"]


def test_budget_text():
    assert UPDATE_BUDGET.text("ms") == "median ≤ 20 ms, p95 ≤ 50 ms"
    assert Budget(p95=2).text("s") == "p95 ≤ 2 s"
    assert NO_BUDGET.text("s") == "none set"


def test_markdown_marks_rows_over_budget_worst_first_and_summarises_them():
    result = result_of(
        control("fast", [2.0, 3.0]), control("slow", [25.0, 30.0]), control("spiky", [5.0, 5.0, 5.0, 60.0]),
        make_row("execution", "00.ipynb", "top to bottom", [4.0, 4.2], "s", Budget(p95=20)),
        make_row("install", "fresh venv", "size on disk", [592.0], "MB", NO_BUDGET, note="du -sm"),
        skipped={"slider": "--skip-browser", "pages": "--skip-browser"})
    table = markdown(result)
    rows = [line for line in table.splitlines() if line.startswith("| app a |")]
    assert [r.split("|")[2].strip() for r in rows] == ["slow", "spiky", "fast"]
    assert rows[0].endswith("| **no** |  |") and rows[2].endswith("| yes |  |")
    assert "| median ≤ 20 ms, p95 ≤ 50 ms |" in rows[0]
    assert "| 00.ipynb | top to bottom | 2 | 4.10 s | 4.20 s | p95 ≤ 20 s | yes |  |" in table
    assert "| fresh venv | size on disk | 1 | 592 MB | 592 MB | none set | – | du -sm |" in table
    summary = table.split("## Update compute")[0]
    assert "**2 of 4 rows over budget:**" in summary
    assert summary.index("app a · slow") < summary.index("app a · spiky")
    assert "--skip-browser" in summary and "Load average" in summary
    assert "## Slider-to-chart" not in table  # skipped sections have no table


def test_summary_when_everything_is_within_budget_and_json_has_no_infinity():
    assert "All 1 rows with a budget are within it." in markdown(result_of(control("fast", [1.0])))
    result = result_of(control("broken", [], error="never drew"))
    assert result["summary"]["worst"][0]["budget_used"] is None
    json.dumps(result, allow_nan=False)
    assert "app a · broken: not measured (never drew)" in markdown(result)


def test_next_value_always_moves_within_range():
    rng = random.Random(0)
    slider = widgets.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.5)
    dropdown = widgets.Dropdown(options=[("A", 1), ("B", 2)], value=1)
    box = widgets.Checkbox(value=False)
    for _ in range(20):
        new = next_control_value(slider, rng)
        assert 0.0 <= new <= 2.0 and new != slider.value
        slider.value = new
    assert next_control_value(dropdown, rng) == 2 and next_control_value(box, rng) is True


def test_arguments_defaults_and_quick_run_flags():
    args = parse_args([])
    assert (args.moves, args.slider_moves, args.repeats) == (30, 8, 3)
    assert not (args.skip_install or args.skip_browser or args.skip_execution) and args.only == ""
    args = parse_args(["--skip-install", "--skip-browser", "--repeats", "1", "--only", "01_"])
    assert args.skip_install and args.skip_browser and args.repeats == 1 and args.only == "01_"


@pytest.mark.parametrize("argv", [["--repeats", "0"], ["--moves", "1"], ["--slider-moves", "100"],
                                  ["--page-timeout", "1"], ["--notebooks", "no/such/folder"]])
def test_arguments_out_of_range_are_refused(argv, capsys):
    with pytest.raises(SystemExit):
        parse_args(argv)
    assert "error" in capsys.readouterr().err


def test_main_writes_markdown_and_json_and_skips_what_it_is_told(tmp_path, monkeypatch):
    called = []
    monkeypatch.setattr(bench, "update_rows", lambda moves, only="": [control("fast", [1.0] * moves)])
    monkeypatch.setattr(bench, "execution_rows", lambda *a: called.append("execution") or [])
    assert bench.main(["--out", str(tmp_path), "--moves", "3", "--skip-install", "--skip-browser",
                       "--skip-execution"]) == 0
    assert called == []
    result = json.loads((tmp_path / "latest.json").read_text())
    assert result["sections"]["updates"][0]["n"] == 3
    assert set(result["skipped"]) == {"execution", "slider", "pages", "install"}
    assert result["machine"]["cores"] and "load_average_at_end" in result["machine"]
    assert (tmp_path / "latest.md").read_text().startswith("# Benchmark")


def test_a_section_that_crashes_is_reported_and_the_others_still_written(tmp_path, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("kernel died")

    monkeypatch.setattr(bench, "update_rows", broken)
    monkeypatch.setattr(bench, "execution_rows", lambda *a: [make_row(
        "execution", "00.ipynb", "top to bottom", [3.0], "s", Budget(p95=20))])
    assert bench.main(["--out", str(tmp_path), "--skip-install", "--skip-browser"]) == 1
    text = (tmp_path / "latest.md").read_text()
    assert "**updates stopped:** RuntimeError: kernel died" in text and "| 00.ipynb |" in text


class FakeApp:
    """Two controls wired like an App: a refused value leaves ``last_update_ms`` as it was."""

    def __init__(self):
        self.controls = {"ok": widgets.IntSlider(value=0, min=0, max=10), "refuses": widgets.Checkbox()}
        self.last_update_ms = 0.0
        self.controls["ok"].observe(lambda _c: setattr(self, "last_update_ms", 3.0), names="value")
        self.controls["refuses"].observe(
            lambda c: setattr(self, "last_update_ms", 4.0) if c["new"] else None, names="value")


def test_control_rows_time_each_move_and_skip_refused_values():
    app = FakeApp()
    ok = bench.control_row("app fake", app, "ok", 6, random.Random(1))
    assert ok["n"] == 6 and ok["median"] == 3.0 and ok["within"] is True and ok["note"] == ""
    refuses = bench.control_row("app fake", app, "refuses", 6, random.Random(1))
    assert refuses["n"] == 3 and refuses["note"].startswith("3 of 6 values showed a message")
