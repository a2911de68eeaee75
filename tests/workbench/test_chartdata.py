"""The chart data model refuses what could never be drawn honestly, and formats numbers
the same way for screens and PDFs."""

from __future__ import annotations

import math

import pytest

from workbench.chartdata import BarChart, LineChart, Series
from workbench.figure_text import format_count, format_money, format_percent


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_series_refuses_non_finite_values(bad: float) -> None:
    with pytest.raises(ValueError, match="non-finite"):
        Series("MQLs", (1.0, bad), "actual")


def test_series_lengths_must_match_the_categories() -> None:
    with pytest.raises(ValueError, match="has 2 values for 3 categories"):
        BarChart("k", "Title", ("a", "b", "c"), (Series("s", (1.0, 2.0), "plan"),))


def test_log_axis_refuses_zero() -> None:
    with pytest.raises(ValueError, match="log axis"):
        LineChart("k", "Title", ("Q1",), (Series("s", (0.0,), "plan"),), log_y=True)


def test_labels_give_the_exact_text_or_a_formatted_value() -> None:
    plain = Series("MQLs", (1234.0, None), "actual")
    assert plain.label(0) == "MQLs: 1,234"
    assert plain.label(1) == "MQLs: —"
    labelled = Series("MQLs", (1.0,), "actual", ("215 of 286",))
    assert labelled.label(0) == "215 of 286"


def test_has_data_is_false_for_all_none_or_an_empty_reason() -> None:
    empty = BarChart("k", "T", ("a",), (Series("s", (None,), "plan"),))
    assert not empty.has_data
    reasoned = BarChart("k", "T", ("a",), (Series("s", (1.0,), "plan"),), empty_reason="none")
    assert not reasoned.has_data


def test_number_formats() -> None:
    assert format_count(25_400) == "25,400"
    assert format_count(None) == "—"
    assert format_money(12_000_000, "USD") == "12,000,000 USD"
    assert format_percent(0.25) == "25 %"
    assert format_percent(0.026) == "2.6 %"
    assert format_percent(2 / 3) == "66.7 %"
    assert format_percent(None) == "—"
