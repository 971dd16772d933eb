"""The cycle engine: equations written once, printed as run, shared by every model that runs the cycle."""

import ast
import math
import re
from pathlib import Path

import numpy as np
import pytest

from primer_lib import capstone, cycle, resistance, schedules
from primer_lib.registry import MODEL_MODULES

ROOT = Path(__file__).resolve().parents[1]
RNG_SEED = 16


def as_python(formula: str) -> str:
    """A printed formula as a Python expression (· is ×, − is minus)."""
    return formula.replace("·", "*").replace("−", "-")


def random_values(names, rng):
    # Fractions stay in [0, 1); everything else spans orders of magnitude, as states and rates do.
    fractions = {"D", "u", "v", "ρ", "X", "ω", "ψ", "r6", "m6"}
    return {n: float(rng.random() if n in fractions else 10 ** rng.uniform(-3, 8)) for n in names}


@pytest.mark.parametrize("law", [*cycle.RATE_LAWS.values(), *resistance.RATE_LAWS.values()],
                         ids=lambda law: law.name)
def test_each_printed_rate_law_is_the_code_that_runs(law):
    rng = np.random.default_rng(RNG_SEED)
    for _ in range(50):
        values = random_values(law.symbols, rng)
        printed = eval(as_python(law.formula), {"min": min}, dict(values))  # noqa: S307 (our own text)
        assert law.function(**values) == pytest.approx(printed, rel=1e-12)
        assert law(**values) == pytest.approx(printed, rel=1e-12)


def test_a_wrong_printed_formula_would_be_caught():
    law = cycle.RATE_LAWS["presentation"]
    values = random_values(law.symbols, np.random.default_rng(1))
    wrong = eval(as_python("m2·k2·A/(K_A + A)"), {}, dict(values))  # (1 − D) left out
    assert law.function(**values) != pytest.approx(wrong, rel=1e-6)


def test_model_cards_print_every_rate_law_and_state_equation():
    for module in (cycle, resistance):
        printed = "\n".join(module.MODEL_CARD.equations)
        assert all(law.card_line in printed for law in module.RATE_LAWS.values())
        terms = {law.term for law in module.RATE_LAWS.values()}
        assert len(terms) == len(module.RATE_LAWS)
        assert all(line in printed for line in module.STATE_EQUATIONS.values())


def rhs_side(line: str) -> str:
    """The right-hand side of 'dX/dt = …', without a trailing '   (remark)'."""
    return as_python(re.split(r"\s{3}\(", line.split("=", 1)[1])[0])


def cycle_terms(state, rates, drive, kill_factor=1.0, infiltration_factor=1.0, other_tumor=0.0):
    """Every named term of STATE_EQUATIONS, computed through the public rate laws."""
    T, A, D, P, C, E, I, M = state  # noqa: E741
    laws = cycle.RATE_LAWS
    total = T + other_tumor
    level = laws["pdl1"](L0=rates.pdl1_constitutive, L1=rates.pdl1_adaptive, E=E,
                         K_E=rates.pdl1_half_saturation)
    brake = laws["brake"](s=rates.pdl1_suppression, L=level, u=drive.blockade, s_ido=rates.ido_suppression,
                          v=drive.ido_block)
    rho = laws["recognition"](m6=drive.m[5], r6=rates.recognition)
    K7 = laws["killing"](m7=drive.m[6], n=rates.kill_rate, ρ=rho, E=E, T=T, Z=brake) * kill_factor
    boost = laws["inflammation_boost"](B=rates.inflammation_boost, I=I)
    return {
        "T": T, "A": A, "D": D, "P": P, "C": C, "E": E, "I": I, "K7": K7,
        "G": laws["growth"](a=drive.growth_rate, X=T, b=rates.capacity_inverse, T=total),
        "R1": laws["release"](m1=drive.m[0], θ=rates.release_basal, T=total, c=drive.icd,
                              K=K7 + drive.direct_kill * total),
        "J2": laws["presentation"](m2=drive.m[1] * boost, k2=rates.presentation, A=A,
                                   K_A=rates.antigen_half_saturation, D=D),
        "J3": laws["priming"](m3=drive.m[2] * boost, k3=rates.priming, D=D),
        "J4": laws["trafficking"](m4=drive.m[3], k4=rates.trafficking, P=P),
        "J5": laws["infiltration"](m5=drive.m[4] * infiltration_factor, k5=rates.infiltration, C=C),
        "c_kill": drive.direct_kill, "v_A": drive.antigen, "c_A": rates.antigen_clearance,
        "d_D": rates.apc_decay, "d": rates.effector_death, "d_x": drive.extra_death, "car": drive.car_t,
        "μ": rates.inactivation, "v_I": drive.inflammation, "d_I": rates.inflammation_decay,
        "M": M, "d_M": rates.memory_decay,
        "J_M": laws["memory_formation"](k_M=rates.memory_formation, E=E, K_M=rates.memory_antigen, A=A),
        "J_R": laws["recall"](k_R=rates.memory_recall, M=M, D=D),
    }


def random_state(rng):
    return np.abs(rng.normal(size=8)) * np.array([1e8, 1e6, 0.5, 1e5, 1e5, 1e6, 0.5, 1e5])


THERAPY_MIXES = [(), ("anti-PD-1",), ("chemotherapy", "anti-CTLA-4"), ("CAR-T", "vaccine", "IDO inhibitor"),
                 ("anti-VEGF", "radiation")]


@pytest.mark.parametrize("therapies", THERAPY_MIXES, ids=lambda t: "+".join(t) or "untreated")
def test_printed_state_equations_are_the_right_hand_side(therapies):
    rng = np.random.default_rng(RNG_SEED)
    for phenotype in cycle.PHENOTYPES:
        rates = cycle.phenotype_rates(phenotype, step3=float(rng.uniform(0, 3)))
        drive = cycle.therapy_drive(rates, cycle.as_doses(therapies), 1.0)
        state = random_state(rng)
        terms = cycle_terms(state, rates, drive)
        ours = cycle.derivatives(list(state), rates, drive)
        for k, name in enumerate(cycle.STATES):
            printed = eval(rhs_side(cycle.STATE_EQUATIONS[name]), {}, terms)  # noqa: S307
            assert ours[k] == pytest.approx(printed, rel=1e-9, abs=1e-9), name


def test_printed_resistance_equations_are_its_right_hand_side():
    rng = np.random.default_rng(RNG_SEED)
    run = resistance.mechanism_setup("adaptive", countermeasure="anti-LAG-3")
    terms = resistance.ResistanceTerms(**{**vars(run.terms), "mutation_rate": 1e-8})
    drive = cycle.therapy_drive(run.rates, run.doses, 1.0)
    for _ in range(10):
        state = random_state(rng)
        extra = [float(rng.uniform(1e3, 1e7)), float(rng.random()), float(rng.random()), 0.0]
        omega = terms.exhaustion_left(drive.blockade)
        psi = terms.cytokine_left
        left = resistance.RATE_LAWS["kill_left"](X=extra[1], ω=omega, σ7=terms.cytokine_on_killing,
                                                 Y=extra[2], ψ=psi)
        named = cycle_terms(state, run.rates, drive, left,
                            1.0 / (1.0 + terms.cytokine_on_infiltration * extra[2] * psi), extra[0])
        K = named["K7"]
        named["G"] = cycle.RATE_LAWS["growth"](a=drive.growth_rate, X=state[0], b=run.rates.capacity_inverse,
                                               T=state[0] + extra[0])
        named |= {"S": state[0], "R": extra[0], "X": extra[1], "Y": extra[2], "K7": K / left,
                  "κ": left,
                  "g": terms.clone_growth, "f": drive.growth_factor, "b": run.rates.capacity_inverse,
                  "P_X": resistance.RATE_LAWS["exhaustion_push"](
                      k_X=terms.exhaustion_rate, A=state[1], K_X=terms.exhaustion_half_saturation),
                  "P_Y": resistance.RATE_LAWS["cytokine_making"](
                      k_Y=terms.cytokine_rate, K=K, K_Y=terms.cytokine_half_saturation),
                  "r_X": terms.exhaustion_recovery, "d_Y": terms.cytokine_decay, "u": terms.mutation_rate,
                  "a": drive.growth_rate}
        named["T"] = state[0] + extra[0]
        ours = cycle.derivatives([*state, *extra], run.rates, drive, terms)
        names = (*cycle.STATES, *terms.states)
        for state_name, line in resistance.STATE_EQUATIONS.items():
            if "/dt =" not in line:
                continue
            printed = eval(rhs_side(line), {}, named)  # noqa: S307
            assert ours[names.index(state_name)] == pytest.approx(printed, rel=1e-9, abs=1e-12), state_name
        # The cycle's lines the extension leaves alone are the cycle's own, with T = S + R.
        for state_name in ("antigen", "primed", "margin", "effector"):
            printed = eval(rhs_side(cycle.STATE_EQUATIONS[state_name]), {}, named)  # noqa: S307
            assert ours[names.index(state_name)] == pytest.approx(printed, rel=1e-9), state_name


@pytest.mark.parametrize("bad, error", [({"m4": -1.0, "k4": 1.0, "P": 1.0}, ValueError),
                                        ({"m4": math.nan, "k4": 1.0, "P": 1.0}, ValueError),
                                        ({"m4": math.inf, "k4": 1.0, "P": 1.0}, ValueError),
                                        ({"m4": "1", "k4": 1.0, "P": 1.0}, TypeError),
                                        ({"m4": 1.0, "k4": 1.0}, TypeError)])
def test_rate_laws_refuse_bad_input_naming_the_symbol(bad, error):
    with pytest.raises(error, match="m4|trafficking"):
        cycle.RATE_LAWS["trafficking"](**bad)


def test_rate_law_with_a_zero_denominator_says_so():
    with pytest.raises(ValueError, match="denominator"):
        cycle.RATE_LAWS["pdl1"](L0=0.0, L1=1.0, E=0.0, K_E=0.0)


def test_one_solver_serves_cycle_resistance_and_capstone():
    # Every model that runs the cycle calls cycle.solve and none integrates on its own.
    for module in ("cycle", "resistance", "capstone", "schedules"):
        source = (ROOT / "primer_lib" / f"{module}.py").read_text(encoding="utf-8")
        assert ("odeint(" in source) == (module == "cycle"), module
    assert "cycle.solve(" in (ROOT / "primer_lib/capstone.py").read_text(encoding="utf-8")
    assert "solve(run.rates" in (ROOT / "primer_lib/resistance.py").read_text(encoding="utf-8")
    assert schedules.simulate_cycle is cycle.simulate_cycle


def test_capstone_states_are_the_cycles_plus_the_clone():
    assert capstone.STATE_COLUMNS == (*cycle.STATES, "resistant")


def test_the_states_are_declared_once():
    assert len(set(cycle.STATES)) == len(cycle.STATES) == len(cycle.STATE_ATOL) == len(cycle.STATE_EQUATIONS)
    assert tuple(cycle.STATE_ATOL) == cycle.STATES == tuple(cycle.STATE_EQUATIONS)


# --- Layering: no private names across modules, a curated public namespace --------------------------------

def python_files():
    for folder in ("primer_lib", "tests"):
        yield from (p for p in (ROOT / folder).rglob("*.py") if ".ipynb_checkpoints" not in p.parts)


def private_imports(path: Path) -> list[str]:
    """``from primer_lib.x import _y`` and ``module._y`` where module is a primer_lib module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("primer_lib"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{node.module}.{alias.name}")
                elif node.module == "primer_lib" or node.module.endswith(("widgets", "charts")):
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules |= {a.asname or a.name for a in node.names if a.name.startswith("primer_lib")}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_no_module_imports_another_modules_private_names():
    offenders = {str(p.relative_to(ROOT)): private_imports(p) for p in python_files()}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_private_name_check_sees_a_private_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from primer_lib.cycle import _growth\n"
                      "from primer_lib import cycle\ncycle._boost(1, 2)\n")
    assert private_imports(sample) == ["primer_lib.cycle._growth", "cycle._boost"]


@pytest.mark.parametrize("module", MODEL_MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_each_model_module_declares_its_public_names(module):
    names = getattr(module, "__all__", None)
    assert names, f"{module.__name__} has no __all__"
    assert all(hasattr(module, n) and not n.startswith("_") for n in names)
    assert {"PARAMETERS", "MODEL_CARD"} <= set(names)
