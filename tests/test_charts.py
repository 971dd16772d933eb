"""primer_lib.charts: one colourblind-safe theme, named data, a description for every chart."""

import altair as alt

from primer_lib.charts import inline
from primer_lib.charts import tumor_growth as charts
from primer_lib.charts.theme import OKABE_ITO, course_theme, themed
from primer_lib.tumor_growth import TumorGrowthParams, simulate_growth


def test_theme_is_okabe_ito_and_projector_sized():
    theme = course_theme()
    assert theme["config"]["range"]["category"] == list(OKABE_ITO)
    assert theme["config"]["axis"]["labelFontSize"] >= 14
    spec = themed(alt.Chart(alt.NamedData("d")).mark_point().encode(x="x:Q")).to_dict()
    assert spec["config"]["range"]["category"][0] == "#0072B2"


def test_theme_is_not_global_state():
    before = alt.theme.active
    themed(alt.Chart(alt.NamedData("d")).mark_point())
    assert alt.theme.active == before


def test_growth_chart_reads_named_data_and_inlines_for_static_output():
    trajectory = simulate_growth(points=5)
    data = charts.growth_data(trajectory)
    assert len(data[charts.GROWTH]) == 10
    spec = inline(charts.growth_chart(), data).to_dict()
    assert len(spec["datasets"][charts.GROWTH]) == 10


def test_description_states_direction_and_threshold():
    grows = TumorGrowthParams(effector_millions=1.0)
    shrinks = TumorGrowthParams(effector_millions=2.0)
    text = charts.describe_growth(simulate_growth(grows), grows)
    assert "the tumor grows" in text and "1.63 million" in text
    assert "the tumor shrinks" in charts.describe_growth(simulate_growth(shrinks), shrinks)
