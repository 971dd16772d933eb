"""Serve the lessons and dashboards with Voila, using the classroom configuration in ``voila.json``.

``voila.json`` (repository root) holds the classroom settings: sources stripped, loopback, preheated
kernel pools for the dashboards only, idle culling, the kernel message allowlist and the ``primer``
template; ``voila.py`` adds what JSON cannot hold (the tree page's titles). Voila reads both from the
working directory, so this launcher runs Voila from the repository root and only adds what changes
per class: the address, and a bigger pool for the dashboard a class is about to open::

    python -m primer_lib.devtools.serve_dashboards                       # make dashboards
    python -m primer_lib.devtools.serve_dashboards --students 30 --dashboard 01_cancer_immunity_cycle

The make target, the browser tests, the load test and the benchmark all start Voila through
:func:`voila_command`, so they test what an instructor runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CONFIG = ROOT / "voila.json"
DASHBOARDS_DIR = "dashboards"
LOOPBACK = "127.0.0.1"


def load_config(path: Path = CONFIG) -> dict[str, Any]:
    """The checked-in classroom configuration."""
    config: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return config


def dashboard_paths(root: Path = NOTEBOOKS) -> list[str]:
    """Every dashboard notebook, relative to the served folder (``dashboards/01_....ipynb``)."""
    return sorted(p.relative_to(root).as_posix() for p in (root / DASHBOARDS_DIR).glob("*.ipynb"))


def resolve_dashboard(name: str, root: Path = NOTEBOOKS) -> str:
    """``01_cancer_immunity_cycle``, its file name or its relative path -> ``dashboards/....ipynb``."""
    stem = Path(name).name.removesuffix(".ipynb")
    matches = [p for p in dashboard_paths(root) if Path(p).stem == stem]
    if not matches:
        known = ", ".join(Path(p).stem for p in dashboard_paths(root))
        raise ValueError(f"dashboard must be one of: {known}; got {name!r}")
    return matches[0]


def kernel_pools(students: int = 0, dashboard: str | None = None, pool: int | None = None,
                 config: dict[str, Any] | None = None) -> dict[str, dict[str, int]]:
    """Pool sizes per notebook: the configured ones, with ``pool`` for every dashboard if given,
    and at least ``students`` warm kernels for ``dashboard``."""
    if not isinstance(students, int) or isinstance(students, bool) or not 0 <= students <= 200:
        raise ValueError(f"students must be an integer from 0 to 200; got {students!r}")
    if pool is not None and (not isinstance(pool, int) or not 0 <= pool <= 200):
        raise ValueError(f"pool must be an integer from 0 to 200; got {pool!r}")
    config = load_config() if config is None else config
    pools = {name: {"pool_size": int(entry.get("pool_size", 0))}
             for name, entry in config["VoilaKernelManager"]["kernel_pools_config"].items()}
    if pool is not None:
        pools |= {name: {"pool_size": pool} for name in pools if name != "default"}
    if students:
        if dashboard is None:
            raise ValueError("dashboard must name the dashboard the class will open when students > 0")
        target = resolve_dashboard(dashboard)
        pools[target] = {"pool_size": max(students, pools.get(target, {}).get("pool_size", 0))}
    return pools


def voila_command(host: str = LOOPBACK, port: int | None = None, students: int = 0,
                  dashboard: str | None = None, pool: int | None = None,
                  extra: Sequence[str] = ()) -> list[str]:
    """The Voila command line; run it with the repository root as working directory."""
    config = load_config()
    args = [str(Path(sys.executable).with_name("voila")), str(NOTEBOOKS), f"--Voila.ip={host}"]
    if port is not None:
        args.append(f"--port={port}")
    if students or pool is not None:
        pools = kernel_pools(students, dashboard, pool, config)
        args.append(f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}")
    return [*args, *extra]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=LOOPBACK, help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=int, default=None, help="port (default: voila.json's, 8866)")
    parser.add_argument("--students", type=int, default=0, help="warm this many kernels for --dashboard")
    parser.add_argument("--dashboard", default=None, help="the dashboard the class will open first")
    parser.add_argument("--pool", type=int, default=None, help="warm kernels kept for every dashboard")
    args, extra = parser.parse_known_args(argv)
    try:
        command = voila_command(args.host, args.port, args.students, args.dashboard, args.pool, extra)
    except ValueError as error:
        parser.error(str(error))
    pools = kernel_pools(args.students, args.dashboard, args.pool)
    warm = sum(v["pool_size"] for k, v in pools.items() if k != "default")
    print(f"Voila on http://{args.host}:{args.port or load_config()['Voila']['port']}/ with the classroom "
          f"settings in voila.json; warming {warm} kernel(s) for the dashboards "
          "(ready when the log says each pool is filled). Ctrl-C stops it.", flush=True)
    if not (args.host == "localhost" or args.host == "::1" or args.host.startswith("127.")):
        # Off loopback, anyone on the network can reach it (README, "Serving a classroom network").
        login = ("a login token is required (--token)" if any(a.startswith(("--token", "--Voila.token"))
                                                               for a in extra)
                 else "there is no login: add --token to require one")
        print(f"Warning: listening on {args.host}, so any machine that can reach this port can open the "
              f"dashboards and use a kernel's memory and CPU (not run its own code); {login}. "
              "Stop the server after class.", file=sys.stderr, flush=True)
    os.chdir(ROOT)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
