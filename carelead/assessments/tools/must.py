"""MUST, the 'Malnutrition Universal Screening Tool' (BAPEN Malnutrition Action Group; the 'MUST'
explanatory booklet and flow chart) — reference/clinical-tools.md §3 (§0.4–0.5, edge cases §3.6);
encodings and categories §11.1.

Step 1 BMI score + step 2 unplanned weight-loss score + step 3 acute disease effect; total 0–6.
The middle bands are closed at both ends (BMI 18.5–20, loss 5–10 %), and every comparison is exact:
Decimal arithmetic, and a derived BMI or loss is banded by cross-multiplying rather than after a
rounded division, so 47.36 kg at 160 cm is BMI 18.5 and 56.0 → 50.4 kg is a 10 % loss (§0.5).
The exact value is banded, never a rounded one: BAPEN gives no rounding rule, and §3.6 recommends
banding the exact value and displaying one decimal place. Weight gain or no loss scores 0 (§3.2).
Subjective assessment without measurements (§3.5) gives a category, not a number, so is not scored
here.
"""

from collections.abc import Mapping
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact, Rounded
from typing import Any

from carelead.assessments.tools.base import Inputs, ToolScore

KNOWN = {"bmi", "weight_loss_percent", "acute_disease_no_intake_over_5_days"}
KNOWN_MEASUREMENTS = {
    "weight_kg", "height_cm", "weight_3_to_6_months_ago_kg", "acute_disease_no_intake_over_5_days",
}

# Physiologically possible adult values (MUST is for adults, §3).
BMI_RANGE = (Decimal(5), Decimal(150))
WEIGHT_LOSS_PERCENT_RANGE = (Decimal(-100), Decimal(100))  # negative = gain
WEIGHT_KG_RANGE = (Decimal(10), Decimal(650))
HEIGHT_CM_RANGE = (Decimal(50), Decimal(275))

# Band edges, inclusive in the middle band (§3.1, §3.2).
BMI_NO_RISK_ABOVE = Decimal(20)
BMI_HIGH_RISK_BELOW = Decimal("18.5")
LOSS_NO_RISK_BELOW = Decimal(5)
LOSS_HIGH_RISK_ABOVE = Decimal(10)

ACUTE_DISEASE_POINTS = 2
CM_PER_M = Decimal(100)


# Products and differences of finite decimals are finite decimals: with unlimited precision they are
# computed exactly (and the traps prove it). Never used to divide, which may not terminate.
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact, Rounded])


def _product(a: Decimal, b: Decimal) -> Decimal:
    """a × b with no rounding."""
    return EXACT.multiply(a, b)


def _sign(numerator: Decimal, denominator: Decimal, edge: Decimal) -> int:
    """Whether numerator / denominator (denominator > 0) is below (-1), at (0) or above (1) edge,
    found exactly: numerator against edge × denominator."""
    bound = _product(edge, denominator)
    return (numerator > bound) - (numerator < bound)


def bmi_points(numerator: Decimal, denominator: Decimal = Decimal(1)) -> int:
    """Step 1, for BMI = numerator / denominator: over 20 scores 0; 18.5 to 20 inclusive 1;
    under 18.5 2."""
    if _sign(numerator, denominator, BMI_NO_RISK_ABOVE) > 0:
        return 0
    if _sign(numerator, denominator, BMI_HIGH_RISK_BELOW) >= 0:
        return 1
    return 2


def weight_loss_points(numerator: Decimal, denominator: Decimal = Decimal(1)) -> int:
    """Step 2, for unplanned loss % = numerator / denominator over 3–6 months: under 5 % (or a
    gain) scores 0; 5 to 10 % inclusive 1; over 10 % 2."""
    if _sign(numerator, denominator, LOSS_NO_RISK_BELOW) < 0:
        return 0
    if _sign(numerator, denominator, LOSS_HIGH_RISK_ABOVE) <= 0:
        return 1
    return 2


def category(total: int) -> str:
    """Steps 4–5: 0 low, 1 medium, 2 or more high risk of malnutrition."""
    if total >= 2:
        return "high"
    if total == 1:
        return "medium"
    return "low"


def _total(bmi: int, weight_loss: int, acute_disease: bool) -> ToolScore:
    total = bmi + weight_loss + (ACUTE_DISEASE_POINTS if acute_disease else 0)
    return ToolScore(total, category(total))


def score(inputs: Mapping[str, Any]) -> ToolScore:
    """MUST from derived values: BMI score (over 20 → 0, 18.5–20 → 1, under 18.5 → 2) + weight-loss
    score (under 5 % or a gain → 0, 5–10 % → 1, over 10 % → 2) + 2 if acutely ill with no
    nutritional intake, or likely none, for more than 5 days."""
    given = Inputs(inputs, known=KNOWN)
    bmi = given.decimal("bmi", low=BMI_RANGE[0], high=BMI_RANGE[1])
    loss = given.decimal("weight_loss_percent", low=WEIGHT_LOSS_PERCENT_RANGE[0],
                         high=WEIGHT_LOSS_PERCENT_RANGE[1])
    acute_disease = given.boolean("acute_disease_no_intake_over_5_days")
    given.check()
    return _total(bmi_points(bmi), weight_loss_points(loss), acute_disease)


def score_from_measurements(inputs: Mapping[str, Any]) -> ToolScore:
    """MUST from measurements: BMI = weight kg / (height m)², loss % = (earlier − current) / earlier
    × 100 with the earlier weight the heaviest recorded in the last 3–6 months, both exact in
    Decimal, then scored as `score`."""
    given = Inputs(inputs, known=KNOWN_MEASUREMENTS)
    weight = given.decimal("weight_kg", low=WEIGHT_KG_RANGE[0], high=WEIGHT_KG_RANGE[1])
    height_cm = given.decimal("height_cm", low=HEIGHT_CM_RANGE[0], high=HEIGHT_CM_RANGE[1])
    earlier = given.decimal("weight_3_to_6_months_ago_kg", low=WEIGHT_KG_RANGE[0], high=WEIGHT_KG_RANGE[1])
    acute_disease = given.boolean("acute_disease_no_intake_over_5_days")
    given.check()
    # kg / (cm / 100)² = kg × 100² / cm²; loss % = (earlier − current) × 100 / earlier.
    bmi = bmi_points(_product(weight, CM_PER_M * CM_PER_M), _product(height_cm, height_cm))
    loss = weight_loss_points(_product(EXACT.subtract(earlier, weight), CM_PER_M), earlier)
    return _total(bmi, loss, acute_disease)
