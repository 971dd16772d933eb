"""The classroom configuration (voila.json) and the launcher that `make dashboards` runs."""

from __future__ import annotations

import json

import pytest

from primer_lib.devtools.serve_dashboards import (
    dashboard_paths,
    kernel_pools,
    load_config,
    resolve_dashboard,
    voila_command,
)


@pytest.fixture(scope="module")
def config():
    return load_config()


def test_every_dashboard_and_only_dashboards_get_warm_kernels(config):
    pools = config["VoilaKernelManager"]["kernel_pools_config"]
    assert dashboard_paths(), "no dashboards found"
    assert sorted(k for k in pools if k != "default") == dashboard_paths()
    assert pools["default"]["pool_size"] == 0, "the prose lessons start cold"
    assert all(pools[name]["pool_size"] >= 1 for name in dashboard_paths())


def test_classroom_settings(config):
    assert config["Voila"]["ip"] == "127.0.0.1"
    voila = config["VoilaConfiguration"]
    assert voila["strip_sources"] is True and voila["show_tracebacks"] is False
    assert voila["preheat_kernel"] is True
    kernels = config["MappingKernelManager"]
    # Pooled kernels are shielded from culling only once started: minutes, not seconds, on 2 cores.
    assert kernels["cull_idle_timeout"] >= 300 and kernels["cull_interval"] >= 30
    # Voila 0.5.13 overrides any configured message allowlist with its own (test_classroom_security).
    assert "allowed_message_types" not in kernels


def test_a_class_gets_a_pool_its_size(config):
    pools = kernel_pools(30, "01_cancer_immunity_cycle", config=config)
    assert pools["dashboards/01_cancer_immunity_cycle.ipynb"]["pool_size"] == 30
    assert pools["dashboards/02_combinations_and_synergy.ipynb"]["pool_size"] == 2
    one_each = kernel_pools(pool=1, config=config)
    assert one_each["dashboards/02_combinations_and_synergy.ipynb"]["pool_size"] == 1
    assert one_each["default"]["pool_size"] == 0


def test_dashboard_names_resolve():
    assert resolve_dashboard("01_cancer_immunity_cycle") == "dashboards/01_cancer_immunity_cycle.ipynb"
    assert resolve_dashboard("dashboards/01_cancer_immunity_cycle.ipynb").endswith("cycle.ipynb")
    with pytest.raises(ValueError, match="dashboard must be one of: 01_cancer_immunity_cycle.*got 'x'"):
        resolve_dashboard("x")


def test_launcher_rejects_bad_class_sizes():
    with pytest.raises(ValueError, match="students must be an integer from 0 to 200"):
        kernel_pools(-1, "01_cancer_immunity_cycle")
    with pytest.raises(ValueError, match="dashboard must name the dashboard"):
        kernel_pools(30)
    with pytest.raises(ValueError, match="pool must be an integer from 0 to 200"):
        kernel_pools(pool=500)


def test_command_line_passes_only_what_changes():
    plain = voila_command(port=9999)
    assert plain[1].endswith("notebooks") and "--Voila.ip=127.0.0.1" in plain and "--port=9999" in plain
    assert not any("kernel_pools_config" in a for a in plain), "voila.json's pools apply as they are"
    classroom = voila_command(students=30, dashboard="01_cancer_immunity_cycle")
    pools = json.loads(next(a for a in classroom if "kernel_pools_config" in a).split("=", 1)[1])
    assert pools["dashboards/01_cancer_immunity_cycle.ipynb"] == {"pool_size": 30}
