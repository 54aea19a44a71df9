"""Waterlow pressure ulcer risk assessment, 2005 card (© J Waterlow 1985, revised 2005) —
reference/clinical-tools.md §4 (§0.7; items §4.1, categories §4.2, decisions §4.4); encodings and
categories §11.1.

The 2005 card replaces the 1985 "appetite" item with the Malnutrition Screening Tool (MST). Every
score records the card it was made on: `VERSION`. The §4.4 decisions taken here: build, sex, age,
continence, mobility and theatre time are one choice each (over 6 hours in theatre scores 8, not
5 + 8); skin items, tissue-malnutrition items, and orthopaedic surgery with theatre time add up;
neurological deficit is one assessor's choice of 4, 5 or 6 (capped at 6) and high-risk medication
scores 4 however many drugs (capped at 4). Build is taken as the category the assessor chose,
so the card's BMI gaps (24.95–24.99, 29.95–29.99, 30.0) are theirs to place.
"""

from collections.abc import Mapping
from typing import Any

from carelead.assessments.tools.base import Inputs, ToolScore

VERSION = "2005"

KNOWN = {
    "build", "skin_type", "sex", "age", "continence", "mobility", "weight_lost_recently",
    "weight_loss_band", "eating_poorly", "tissue_malnutrition", "neurological_deficit_points",
    "orthopaedic_spinal_surgery", "theatre_time", "high_risk_medication",
}

BUILD = {"average": 0, "above_average": 1, "obese": 2, "below_average": 3}
SKIN_TYPE = {
    "healthy": 0, "tissue_paper": 1, "dry": 1, "oedematous": 1, "clammy_pyrexia": 1,
    "discoloured_grade_1": 2, "broken_spots_grade_2_4": 3,
}
HEALTHY_SKIN = "healthy"
SEX = {"male": 1, "female": 2}
CONTINENCE = {"complete_or_catheterised": 0, "urinary": 1, "faecal": 2, "urinary_and_faecal": 3}
MOBILITY = {
    "fully": 0, "restless_fidgety": 1, "apathetic": 2, "restricted": 3, "bedbound": 4, "chairbound": 5,
}
# MST question A: "no" leads to question C; "unsure" scores 2 then C; "yes" scores question B's band.
WEIGHT_LOST_RECENTLY = {"no": 0, "unsure": 2, "yes": None}
WEIGHT_LOSS_BAND = {"0.5_to_5_kg": 1, "5_to_10_kg": 2, "10_to_15_kg": 3, "over_15_kg": 4, "unsure": 2}
EATING_POORLY_POINTS = 1  # MST question C
TISSUE_MALNUTRITION = {
    "terminal_cachexia": 8, "multiple_organ_failure": 8, "single_organ_failure": 5,
    "peripheral_vascular_disease": 5, "anaemia_hb_below_8": 2, "smoking": 1,
}
NEUROLOGICAL_DEFICIT_POINTS = (0, 4, 5, 6)  # diabetes, MS, CVA, motor/sensory, paraplegia: max 6
ORTHOPAEDIC_SPINAL_SURGERY_POINTS = 5
THEATRE_TIME = {"none": 0, "over_2_hours": 5, "over_6_hours": 8}  # within the last 48 hours
HIGH_RISK_MEDICATION_POINTS = 4  # cytotoxics, long-term/high-dose steroids, anti-inflammatories: max 4

# The card's age bands start at 14; 120 is beyond any recorded human age.
AGE_RANGE = (14, 120)

NO_SKIN_TYPE_MESSAGE = 'Choose at least one skin type, or "healthy"'
HEALTHY_WITH_OTHERS_MESSAGE = 'Choose "healthy" only when no other skin type applies'
NEUROLOGICAL_DEFICIT_MESSAGE = "Choose one of: 0, 4, 5, 6"
BAND_NEEDED_MESSAGE = "Choose how much weight was lost: " + ", ".join(WEIGHT_LOSS_BAND)
BAND_NOT_EXPECTED_MESSAGE = 'Leave the weight loss band empty unless weight was lost recently ("yes")'


def age_points(age: int) -> int:
    """Age in years: 14–49 1; 50–64 2; 65–74 3; 75–80 4; 81 or over 5."""
    if age <= 49:
        return 1
    if age <= 64:
        return 2
    if age <= 74:
        return 3
    if age <= 80:
        return 4
    return 5


def nutrition_points(weight_lost_recently: str, weight_loss_band: str | None, eating_poorly: bool) -> int:
    """MST nutrition score 0–5: question A (no 0; unsure 2; yes → question B: 0.5–5 kg 1, 5–10 kg 2,
    10–15 kg 3, over 15 kg 4, unsure how much 2) + question C (eating poorly or lack of appetite
    1). Over 2: refer for nutrition assessment and intervention."""
    points = WEIGHT_LOST_RECENTLY[weight_lost_recently]
    if points is None:
        points = WEIGHT_LOSS_BAND[weight_loss_band]
    return points + (EATING_POORLY_POINTS if eating_poorly else 0)


def category(total: int) -> str:
    """10 or more at risk; 15 or more high risk; 20 or more very high risk. The card names nothing
    below 10: `not_at_risk` is this product's convention (§4.2 [I])."""
    if total >= 20:
        return "very_high_risk"
    if total >= 15:
        return "high_risk"
    if total >= 10:
        return "at_risk"
    return "not_at_risk"


def _skin_points(given: Inputs) -> int:
    """Skin type, all that apply, summed; at least one, and "healthy" only alone."""
    points = given.choices("skin_type", SKIN_TYPE)
    chosen = given.raw.get("skin_type")
    if "skin_type" not in given.errors:
        if not chosen:
            given.errors["skin_type"] = NO_SKIN_TYPE_MESSAGE
        elif HEALTHY_SKIN in chosen and len(chosen) > 1:
            given.errors["skin_type"] = HEALTHY_WITH_OTHERS_MESSAGE
    return sum(points)


def _weight_loss_band(given: Inputs, weight_lost_recently: str | None) -> str | None:
    """MST question B: answered (one of the bands) only when question A is "yes", else empty."""
    band = given.raw.get("weight_loss_band")
    if weight_lost_recently is None:  # question A is itself wrong; say so there only
        return None
    if weight_lost_recently == "yes":
        if isinstance(band, str) and band in WEIGHT_LOSS_BAND:
            return band
        given.errors["weight_loss_band"] = BAND_NEEDED_MESSAGE
    elif band is not None:
        given.errors["weight_loss_band"] = BAND_NOT_EXPECTED_MESSAGE
    return None


def score(inputs: Mapping[str, Any]) -> ToolScore:
    """Waterlow (2005 card): build + skin type(s) + sex + age + MST nutrition score + continence +
    mobility + special risks (tissue malnutrition items summed; neurological deficit 4–6;
    orthopaedic/spinal surgery 5; theatre over 2 hours 5 or over 6 hours 8; high-risk medication 4).
    Categories: under 10 not at risk, 10–14 at risk, 15–19 high risk, 20 or more very high risk."""
    given = Inputs(inputs, known=KNOWN)
    points = [
        given.choice("build", BUILD),
        _skin_points(given),
        given.choice("sex", SEX),
        age_points(given.integer("age", low=AGE_RANGE[0], high=AGE_RANGE[1])),
        given.choice("continence", CONTINENCE),
        given.choice("mobility", MOBILITY),
        sum(given.choices("tissue_malnutrition", TISSUE_MALNUTRITION)),
        ORTHOPAEDIC_SPINAL_SURGERY_POINTS if given.boolean("orthopaedic_spinal_surgery") else 0,
        given.choice("theatre_time", THEATRE_TIME),
        HIGH_RISK_MEDICATION_POINTS if given.boolean("high_risk_medication") else 0,
    ]
    neurological = given.raw.get("neurological_deficit_points")
    # An exact int: JSON's 4.0 or true would otherwise compare equal to an allowed value.
    if type(neurological) is int and neurological in NEUROLOGICAL_DEFICIT_POINTS:
        points.append(neurological)
    else:
        given.errors["neurological_deficit_points"] = NEUROLOGICAL_DEFICIT_MESSAGE
    answer = given.raw.get("weight_lost_recently")
    weight_lost_recently = answer if isinstance(answer, str) and answer in WEIGHT_LOST_RECENTLY else None
    if weight_lost_recently is None:
        given.errors["weight_lost_recently"] = "Choose one of: " + ", ".join(WEIGHT_LOST_RECENTLY)
    band = _weight_loss_band(given, weight_lost_recently)
    eating_poorly = given.boolean("eating_poorly")
    given.check()
    points.append(nutrition_points(weight_lost_recently, band, eating_poorly))
    total = sum(points)
    return ToolScore(total, category(total))
