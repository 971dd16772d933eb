"""The parameter registry and model cards: complete, consistent, namespaced."""

import pytest

from primer_lib.cards import model_card_markdown
from primer_lib.parameters import Parameter
from primer_lib.registry import MODEL_MODULES, model_cards, parameter, registry


def test_registry_is_not_empty_and_covers_every_model_module():
    assert registry(), "the registry holds no parameters"
    models = {p.model for p in registry().values()}
    assert models == {m.__name__.rsplit(".", 1)[1] for m in MODEL_MODULES}


@pytest.mark.parametrize("entry", list(registry().values()), ids=lambda p: p.name)
def test_every_parameter_is_documented(entry: Parameter):
    assert entry.name == f"{entry.model}.{entry.key}"
    assert entry.label and entry.symbol and entry.meaning
    assert entry.source, f"{entry.name} has no source"
    assert entry.minimum <= entry.default <= entry.maximum
    if entry.calibrated:
        assert "illustrative" not in entry.source.lower()
    assert entry.source in entry.tooltip and entry.meaning in entry.tooltip


def test_parameter_lookup_and_unknown_names():
    assert parameter("tumor_growth.growth_rate").default == 0.18
    with pytest.raises(ValueError, match="tumor_growth.growth_rate"):
        parameter("tumor_growth.nope")
    with pytest.raises(TypeError):
        parameter(3)


def test_parameter_check_names_parameter_and_range():
    growth = parameter("tumor_growth.growth_rate")
    with pytest.raises(ValueError, match=r"growth_rate must be in \[0.01, 0.5\] 1/day"):
        growth.check(2.0)


def test_parameter_record_rejects_bad_definitions():
    with pytest.raises(ValueError, match="<model>.<parameter>"):
        Parameter("plain", "x", "x", 1, "", 0, 2, 0.1, "m", "s", False)
    with pytest.raises(ValueError, match="default"):
        Parameter("m.x", "x", "x", 5, "", 0, 2, 0.1, "m", "s", False)


@pytest.mark.parametrize("model", sorted(model_cards()))
def test_every_model_has_a_complete_card(model: str):
    card = model_cards()[model]
    assert card.shows and card.assumptions and card.limits and card.references
    text = model_card_markdown(model)
    for p in registry().values():
        if p.model == model:
            assert p.meaning in text and p.source in text


def test_model_card_rejects_unknown_model():
    with pytest.raises(ValueError, match="model must be one of"):
        model_card_markdown("no_such_model")
