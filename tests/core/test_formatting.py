"""Numbers for people: wufei_gis.formatting."""

from __future__ import annotations

import doctest
import math

import pytest

from wufei_gis import formatting
from wufei_gis.formatting import (
    format_gap,
    format_km,
    format_percent,
    format_seconds,
    format_tpd,
    format_value,
    format_yuan,
)


def test_doctests():
    assert doctest.testmod(formatting).failed == 0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0006037, "0.06 %"),
        (0.0, "0 %"),
        (3e-6, "< 0.01 %"),
        (None, "–"),
        (math.nan, "–"),
        (0.125, "12.50 %"),
    ],
)
def test_gap(value, text):
    assert format_gap(value) == text


def test_units():
    assert format_tpd(1234567.891) == "1,234,567.89 t/d"
    assert format_tpd(-2.5, signed=True) == "-2.50 t/d"
    assert format_tpd(2.5, signed=True) == "+2.50 t/d"
    assert format_yuan(150798.858) == "150,799 yuan/d"
    assert format_yuan(12e6, per_day=False) == "12,000,000 yuan"
    assert format_km(12.345) == "12.3 km"
    assert format_percent(0.65) == "65.0 %"
    assert format_seconds(0.071) == "0.07 s" and format_seconds(52.8) == "52.8 s"
    assert format_seconds(192) == "3 min 12 s"


def test_format_value_by_unit():
    assert format_value(True) == "yes"
    assert format_value(1200) == "1,200"
    assert format_value(0.5, "%") == "50.0 %"
    assert format_value("红塔区") == "红塔区"
    assert format_value(None, "t/d") == "–"
