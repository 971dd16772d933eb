"""primer_lib.devtools.loadtest without a server: statistics, options, pools, log parsing and the report."""

import json
import subprocess
import time
from pathlib import Path

import pytest

from primer_lib.devtools.loadtest import (
    Options,
    Server,
    aggregate_importtime,
    app_cells,
    error_counts,
    finish,
    markdown,
    parse_args,
    percentile,
    pools_for,
    server_command,
    summary,
    target_notebook,
    validate,
    write_results,
)

POOLS = {"default": {"pool_size": 0}, "dashboards/01_a.ipynb": {"pool_size": 2},
         "dashboards/02_b.ipynb": {"pool_size": 2}}
CONFIG = {"VoilaKernelManager": {"fill_delay": 1, "kernel_pools_config": POOLS}}
MACHINE = {"cores": 2, "ram_gb": 23.5, "python": "3.11", "platform": "test", "packages": {"voila": "0.5.13"},
           "load_average_at_start": [0.5, 0.4, 0.3], "chromium": "1"}


def test_percentile_is_nearest_rank_and_summary_handles_no_values():
    values = [float(v) for v in range(1, 31)]
    assert percentile(values, 95) == 29.0  # ceil(0.95 * 30) = 29th smallest
    assert percentile(values, 100) == 30.0 and percentile([7.0], 95) == 7.0
    assert summary([3.0, 1.0, 2.0]) == {"n": 3, "median": 2.0, "p95": 3.0, "max": 3.0}
    assert summary([]) == {"n": 0, "median": None, "p95": None, "max": None}
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 0)


@pytest.mark.parametrize("kwargs", [{"students": 0}, {"students": 201}, {"timeout_s": 10},
                                    {"page_timeout_s": 1000}, {"page_timeout_s": 1}, {"moves": 0},
                                    {"fill_delay_s": -1}])
def test_validate_rejects_out_of_range_options(kwargs):
    good = {"students": 30, "timeout_s": 900, "page_timeout_s": 180, "moves": 3, "fill_delay_s": None}
    validate(**good)
    with pytest.raises(ValueError):
        validate(**(good | kwargs))


def test_parse_args_exits_with_a_message_on_bad_input(capsys):
    for argv in (["--students", "0"], ["--notebook", "no_such.ipynb"], ["--notebook", "../README.md"],
                 ["--dashboard", "no_such_dashboard"], ["--timeout", "100", "--page-timeout", "200"]):
        with pytest.raises(SystemExit):
            parse_args(argv)
    assert "students must be from 1" in capsys.readouterr().err


def test_parse_args_for_a_lesson(tmp_path):
    options = parse_args(["--students", "5", "--notebook", "00_start_here.ipynb", "--no-preheat",
                          "--out", str(tmp_path), "--fill-delay", "20"])
    assert (options.students, options.target, options.is_dashboard, options.preheat) == (
        5, "00_start_here.ipynb", False, False)
    assert options.fill_delay_s == 20 and options.out == tmp_path


def test_target_notebook_stays_under_the_notebooks_folder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.ipynb").write_text("{}")
    (tmp_path / "notes.md").write_text("")
    assert target_notebook(None, "sub/x.ipynb", tmp_path) == ("sub/x.ipynb", False)
    for bad in ("notes.md", "../x.ipynb", "missing.ipynb"):
        with pytest.raises(ValueError):
            target_notebook(None, bad, tmp_path)


def test_pools_warm_the_target_or_leave_it_cold():
    lesson = Options(students=5, target="00_x.ipynb", is_dashboard=False)
    assert pools_for(lesson, CONFIG) == POOLS | {"00_x.ipynb": {"pool_size": 5}}
    cold = Options(students=30, target="dashboards/01_a.ipynb", preheat=False)
    assert pools_for(cold, CONFIG)["dashboards/01_a.ipynb"] == {"pool_size": 0}
    assert pools_for(cold, CONFIG)["dashboards/02_b.ipynb"] == {"pool_size": 2}


def test_server_command_passes_the_pools_and_the_fill_delay(monkeypatch):
    monkeypatch.setattr("primer_lib.devtools.serve_dashboards.load_config", lambda: CONFIG)
    command = server_command(Options(students=3, target="00_x.ipynb", is_dashboard=False, fill_delay_s=30),
                             1234, CONFIG)
    assert "--port=1234" in command and "--VoilaKernelManager.fill_delay=30" in command
    pools = json.loads(next(a for a in command if "kernel_pools_config" in a).split("=", 1)[1])
    assert pools["00_x.ipynb"] == {"pool_size": 3}


def test_app_cells_stop_at_the_first_app(tmp_path):
    def cell(source, text=None):
        outputs = [{"output_type": "execute_result", "data": {"text/plain": text}}] if text else []
        return {"cell_type": "code", "source": source, "outputs": outputs}

    notebook = tmp_path / "n.ipynb"
    notebook.write_text(json.dumps({"cells": [
        cell(["import a\n", "import b"]), {"cell_type": "markdown", "source": "# T"},
        cell("app()", "[Interactive: X]"), cell("later()")]}))
    assert app_cells(notebook) == ["import a\nimport b", "app()"]


def test_aggregate_importtime_sums_self_time_by_top_level_package():
    stderr = "\n".join(["import time: self [us] | cumulative | imported package",
                        "import time:      2000 |       2000 |     altair.utils",
                        "import time:      1000 |       3000 |   altair",
                        "import time:       500 |        500 | numpy",
                        "Traceback or other noise"])
    profile = aggregate_importtime(stderr, top=1)
    assert profile == {"total_ms": 3.5, "top": [{"package": "altair", "ms": 3.0}]}


def test_server_reads_pool_and_kernel_lines_from_the_log(tmp_path):
    log = tmp_path / "voila.log"
    log.write_text("[Voila] Kernel started: k1\n"
                   "[Voila] Kernel pool of dashboards/01_a.ipynb is filled with 2 kernel(s)\n"
                   "[Voila] Using pre-heated kernel: k1 for dashboards/01_a.ipynb\n[Voila] Kernel po")
    server = Server(subprocess.Popen(["true"]), "http://x", log, time.monotonic())
    server.process.wait()
    server.poll_log()
    assert [nb for _, nb in server.filled] == ["dashboards/01_a.ipynb"]
    assert [nb for _, nb in server.used] == ["dashboards/01_a.ipynb"] and len(server.kernels_started) == 1
    with log.open("a") as handle:  # the half-written line completes later and is read once
        handle.write("ol of 00_x.ipynb is filled with 5 kernel(s)\n")
    server.poll_log()
    assert [nb for _, nb in server.filled] == ["dashboards/01_a.ipynb", "00_x.ipynb"]


def _result(label: str, students: list[dict]) -> dict:
    return {"label": label, "date": "2026-11-24T16:00:00+00:00", "machine": MACHINE, "stopped": None,
            "config": {"target": "dashboards/01_a.ipynb", "students": len(students), "moves": 2,
                       "warm_kernels": 6},
            "timings": {"arrival_s": 100.0, "pool_filled_s": 20.0, "pools_ready_s": 60.0,
                        "refill_started_s": 110.0, "refill_ready_s": 150.0},
            "memory": {"after_class": {"kernels": 8, "kernel_rss_mb": [200.0, 210.0],
                                       "kernel_rss_total_mb": 410.0, "kernel_uss_total_mb": 300.0}},
            "peak": {"kernels": 8, "kernel_rss_mb": 2048.0, "server_rss_mb": 150.0, "browser_rss_mb": 1024.0,
                     "used_ram_mb": 4096.0},
            "cpu_class_core_s": {"server": 5.0, "kernels": 3.0, "browser": 20.0, "other": 1.0},
            "kernel_startup": {"ready_s": 1.2, "cells_s": [4.0, 0.1], "app_displayed_s": 5.3, "rss_mb": 200.0,
                               "imports": {"total_ms": 4000.0, "top": [{"package": "altair", "ms": 3000.0}]}},
            "students": students}


STUDENTS = [
    {"rendered": True, "page_to_chart_s": 4.0, "class_to_chart_s": 4.5, "first_byte_s": 0.1,
     "html_done_s": 1.0, "slider_ms": [100.0, 300.0], "error": None},
    {"rendered": False, "page_to_chart_s": None, "class_to_chart_s": None, "slider_ms": [],
     "error": "chart: Timeout 180000ms exceeded."},
]


def test_finish_and_markdown_report_what_rendered_and_the_errors():
    result = finish(_result("01_a · 2 students · warm pool", STUDENTS))
    s = result["summary"]
    assert (s["rendered"], s["slider_moved"]) == (1, 1)
    assert (s["refill_started_s"], s["refill_ready_s"]) == (10.0, 50.0)
    assert s["slider_to_chart_ms"] == {"n": 2, "median": 200.0, "p95": 300.0, "max": 300.0}
    table = markdown([result])
    assert "| Students with a chart | **1/2** |" in table
    assert "| Slider-to-chart, ms (median / p95 / max) | 200 / 300 / 300 |" in table
    assert "| Refill after arrival: replacements ready (idle), s | 50.0 |" in table
    assert "- 01_a · 2 students · warm pool: 1 × chart: Timeout ms exceeded." in table
    assert "| altair | 3000 |" in table


def test_error_counts_group_failures_that_differ_only_in_numbers():
    assert error_counts(["chart: Timeout 170.5ms", "chart: Timeout 171ms", "slider: gone"]) == [
        "2 × chart: Timeout ms", "1 × slider: gone"]


def test_write_results_keeps_one_column_per_configuration(tmp_path):
    write_results(finish(_result("warm", STUDENTS)), tmp_path, fresh=False)
    write_results(finish(_result("cold", STUDENTS[:1])), tmp_path, fresh=False)
    write_results(finish(_result("warm", STUDENTS[:1])), tmp_path, fresh=False)
    runs = json.loads((tmp_path / "loadtest.json").read_text())["runs"]
    assert [(r["label"], r["summary"]["rendered"], r["summary"]["students"]) for r in runs] == [
        ("cold", 1, 1), ("warm", 1, 1)]
    header = Path(tmp_path / "loadtest.md").read_text().splitlines()[7]
    assert header.startswith("| Measure | cold (2026-11-24) | warm (2026-11-24) |")
    write_results(finish(_result("warm", STUDENTS)), tmp_path, fresh=True)
    assert len(json.loads((tmp_path / "loadtest.json").read_text())["runs"]) == 1
