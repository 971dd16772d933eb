"""primer_lib.widgets.livechart: spec once, data-only updates, one shared Vega bundle."""

import altair as alt
import numpy as np
import pandas as pd
import pytest

from primer_lib.widgets.livechart import LIBRARY_VERSION, PING, PONG, LiveChart, columns_of, vega_library


def _chart():
    return alt.Chart(alt.NamedData("points")).mark_line().encode(x="x:Q", y="y:Q")


def test_spec_is_embedded_once_and_data_travel_by_column():
    chart = LiveChart(_chart(), {"points": pd.DataFrame({"x": [0, 1], "y": [2.0, 3.0]})}, "desc")
    assert chart.spec["data"] == {"name": "points"}
    assert chart.datasets == {"points": {"x": [0, 1], "y": [2.0, 3.0]}}
    spec_before = chart.spec
    chart.update({"points": pd.DataFrame({"x": [0, 1], "y": [5.0, 6.0]})}, "new desc")
    assert chart.spec is spec_before
    assert chart.datasets["points"]["y"] == [5.0, 6.0]
    assert chart.description == "new desc"


def test_charts_share_one_vega_library_carrying_the_bundle():
    one = LiveChart(_chart(), {"points": pd.DataFrame({"x": [0], "y": [1.0]})})
    two = LiveChart(_chart(), {"points": pd.DataFrame({"x": [0], "y": [1.0]})})
    assert one.library is two.library is vega_library()
    assert len(one.library.source) > 500_000 and "vega" in one.library.source.lower()
    assert one.library_version == LIBRARY_VERSION


def test_closed_library_is_replaced():
    library = vega_library()
    library.close()
    assert vega_library() is not library


def test_non_finite_values_become_null_and_text_stays_text():
    cols = columns_of({"d": pd.DataFrame({"v": [1.0, np.nan, np.inf], "s": ["a", "b", "c"],
                                          "flag": [True, False, True]})})
    assert cols["d"]["v"] == [1.0, None, None]
    assert cols["d"]["s"] == ["a", "b", "c"]
    assert cols["d"]["flag"] == [True, False, True]


def test_repr_is_short_and_has_no_address():
    chart = LiveChart(_chart(), {"points": pd.DataFrame({"x": [0], "y": [1.0]})})
    assert repr(chart) == "LiveChart(datasets=[points])"


def test_bad_input_is_rejected():
    with pytest.raises(TypeError, match="chart must be an Altair chart"):
        LiveChart({"mark": "line"}, {})
    with pytest.raises(TypeError, match="data must map dataset names"):
        columns_of([1, 2])
    with pytest.raises(TypeError, match=r"data\['d'\] must be a pandas DataFrame"):
        columns_of({"d": [1, 2]})
    with pytest.raises(ValueError, match="aggregate to at most 5000"):
        columns_of({"d": pd.DataFrame({"x": np.arange(5001)})})


def test_chart_answers_the_page_watchdogs_ping_and_nothing_else(monkeypatch):
    chart = LiveChart(_chart(), {"points": pd.DataFrame({"x": [0], "y": [1.0]})})
    sent = []
    monkeypatch.setattr(chart, "send", lambda content, buffers=None: sent.append(content))
    chart._answer_heartbeat(chart, {"type": PING, "beat": 7}, [])
    assert sent == [{"type": PONG, "beat": 7}]
    # Only a small beat number goes back, never what the client sent.
    chart._answer_heartbeat(chart, {"type": PING, "beat": "x" * 10_000}, [])
    chart._answer_heartbeat(chart, {"type": PING, "beat": 2**80}, [])
    assert sent[1:] == [{"type": PONG, "beat": None}] * 2
    for other in ({"type": "other"}, {"beat": 1}, "primer-ping", None):
        chart._answer_heartbeat(chart, other, [])
    assert len(sent) == 3
    # Wired to the comm: a custom message from the page reaches the handler.
    chart._handle_custom_msg({"type": PING, "beat": 1}, [])
    assert sent[-1] == {"type": PONG, "beat": 1}
