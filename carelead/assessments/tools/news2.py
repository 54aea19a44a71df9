"""NEWS2, the National Early Warning Score 2 (Royal College of Physicians, Dec 2017; Chart 1 scoring,
Chart 3 thresholds) — reference/clinical-tools.md §1 (§0.1–0.3, edge cases §1.4); encodings and
categories §11.1.

Seven parameters, each scored 0–3: respiration rate, SpO2 on the person's chosen scale, air or
oxygen, systolic blood pressure, pulse, consciousness (ACVPU) and temperature; total 0–20.
SpO2 scale 2 is used only where a clinician has recorded a target of 88–92 % (`spo2_scale` 2);
everyone else is on scale 1. A total is only ever given for the full set of seven (§1.4): a
missing reading is an error, never a partial score.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from carelead.assessments.tools.base import Inputs, ToolScore

KNOWN = {
    "respiration_rate", "spo2", "spo2_scale", "on_oxygen", "systolic_bp", "pulse", "consciousness",
    "temperature",
}

# Physiologically possible readings; the chart's bands run open-ended beyond them.
RESPIRATION_RATE_RANGE = (0, 80)
SPO2_RANGE = (0, 100)  # a percentage: very low readings happen and still score 3
SYSTOLIC_BP_RANGE = (40, 300)
PULSE_RANGE = (20, 250)
TEMPERATURE_RANGE = (Decimal("25.0"), Decimal("45.0"))
SCALES = (1, 2)

TEMPERATURE_RESOLUTION = Decimal("0.1")
TEMPERATURE_RESOLUTION_MESSAGE = "Enter the temperature to one decimal place, for example 37.5"
SCALE_MESSAGE = "Choose SpO2 scale 1, or 2 only where a clinician has set a target of 88 to 92%"

# ACVPU: new or worsening confusion ("C") scores 3, as voice, pain and unresponsive do. Confusion
# that is the person's usual state, with them alert, is "A" (§0.3, §1.1).
CONSCIOUSNESS = {"A": 0, "C": 3, "V": 3, "P": 3, "U": 3}

OXYGEN_POINTS = 2  # any supplemental oxygen, on either SpO2 scale (§0.2)


def respiration_rate_points(rate: int) -> int:
    """Breaths a minute: 8 or fewer 3; 9–11 1; 12–20 0; 21–24 2; 25 or more 3."""
    if rate <= 8:
        return 3
    if rate <= 11:
        return 1
    if rate <= 20:
        return 0
    if rate <= 24:
        return 2
    return 3


def spo2_scale_1_points(spo2: int) -> int:
    """SpO2 scale 1: 91 % or less 3; 92–93 2; 94–95 1; 96 or more 0 (air or oxygen alike)."""
    if spo2 <= 91:
        return 3
    if spo2 <= 93:
        return 2
    if spo2 <= 95:
        return 1
    return 0


def spo2_scale_2_points(spo2: int, on_oxygen: bool) -> int:
    """SpO2 scale 2 (target 88–92 %): 83 % or less 3; 84–85 2; 86–87 1; 88–92 0; 93 or more on air
    0; on oxygen 93–94 1, 95–96 2, 97 or more 3 — too high a saturation on oxygen is a risk."""
    if spo2 <= 83:
        return 3
    if spo2 <= 85:
        return 2
    if spo2 <= 87:
        return 1
    if spo2 <= 92 or not on_oxygen:
        return 0
    if spo2 <= 94:
        return 1
    if spo2 <= 96:
        return 2
    return 3


def systolic_bp_points(systolic: int) -> int:
    """Systolic mmHg: 90 or less 3; 91–100 2; 101–110 1; 111–219 0; 220 or more 3."""
    if systolic <= 90:
        return 3
    if systolic <= 100:
        return 2
    if systolic <= 110:
        return 1
    if systolic <= 219:
        return 0
    return 3


def pulse_points(pulse: int) -> int:
    """Beats a minute: 40 or fewer 3; 41–50 1; 51–90 0; 91–110 1; 111–130 2; 131 or more 3."""
    if pulse <= 40:
        return 3
    if pulse <= 50:
        return 1
    if pulse <= 90:
        return 0
    if pulse <= 110:
        return 1
    if pulse <= 130:
        return 2
    return 3


def temperature_points(temperature: Decimal) -> int:
    """°C to one decimal place: 35.0 or less 3; 35.1–36.0 1; 36.1–38.0 0; 38.1–39.0 1; 39.1 or
    more 2. Compared as Decimal on contiguous bands (§1.4), so no float can fall between them."""
    if temperature <= Decimal("35.0"):
        return 3
    if temperature <= Decimal("36.0"):
        return 1
    if temperature <= Decimal("38.0"):
        return 0
    if temperature <= Decimal("39.0"):
        return 1
    return 2


def _read(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Validated readings, or ToolInputError naming every bad field."""
    given = Inputs(inputs, known=KNOWN)
    readings = {
        "respiration_rate": given.integer("respiration_rate", low=RESPIRATION_RATE_RANGE[0],
                                          high=RESPIRATION_RATE_RANGE[1]),
        "spo2": given.integer("spo2", low=SPO2_RANGE[0], high=SPO2_RANGE[1]),
        "on_oxygen": given.boolean("on_oxygen"),
        "systolic_bp": given.integer("systolic_bp", low=SYSTOLIC_BP_RANGE[0], high=SYSTOLIC_BP_RANGE[1]),
        "pulse": given.integer("pulse", low=PULSE_RANGE[0], high=PULSE_RANGE[1]),
        "consciousness": given.choice("consciousness", CONSCIOUSNESS),
        "temperature": given.decimal("temperature", low=TEMPERATURE_RANGE[0], high=TEMPERATURE_RANGE[1]),
    }
    scale = given.raw.get("spo2_scale")
    # An exact int: JSON's 2.0 or true would otherwise compare equal to a scale.
    if type(scale) is int and scale in SCALES:
        readings["spo2_scale"] = scale
    else:
        given.errors["spo2_scale"] = SCALE_MESSAGE
    # The chart reads temperature to one decimal place (§1.4): refuse finer readings rather than
    # round them silently.
    if "temperature" not in given.errors and (
        readings["temperature"] != readings["temperature"].quantize(TEMPERATURE_RESOLUTION)
    ):
        given.errors["temperature"] = TEMPERATURE_RESOLUTION_MESSAGE
    given.check()
    return readings


def subscores(inputs: Mapping[str, Any]) -> dict[str, int]:
    """Each of the seven NEWS2 parameters' points, keyed by input name (`spo2` on the person's
    scale; `on_oxygen` is the air-or-oxygen score). Kept apart because the single-3 rule and
    FHIR/SNOMED records need them (§1.4)."""
    readings = _read(inputs)
    if readings["spo2_scale"] == 2:
        spo2 = spo2_scale_2_points(readings["spo2"], readings["on_oxygen"])
    else:
        spo2 = spo2_scale_1_points(readings["spo2"])
    return {
        "respiration_rate": respiration_rate_points(readings["respiration_rate"]),
        "spo2": spo2,
        "on_oxygen": OXYGEN_POINTS if readings["on_oxygen"] else 0,
        "systolic_bp": systolic_bp_points(readings["systolic_bp"]),
        "pulse": pulse_points(readings["pulse"]),
        "consciousness": readings["consciousness"],
        "temperature": temperature_points(readings["temperature"]),
    }


def category(total: int, points: Mapping[str, int]) -> str:
    """RCP Chart 3: 7 or more high; 5–6 medium; otherwise 3 in any single parameter low–medium;
    otherwise low. The single-3 rule never lowers a band (§0.1)."""
    if total >= 7:
        return "high"
    if total >= 5:
        return "medium"
    if any(value == 3 for value in points.values()):
        return "low_medium"
    return "low"


def score(inputs: Mapping[str, Any]) -> ToolScore:
    """NEWS2: the sum of the seven parameter scores (0–20), with the RCP clinical risk category
    `low`, `low_medium`, `medium` or `high`."""
    points = subscores(inputs)
    total = sum(points.values())
    return ToolScore(total, category(total, points))
