"""Code lists of ekonomiskt bistånd as data.

``BARRIERS`` — försörjningshinder per adult (followup.md 3.1). The categories follow the list in use in
Swedish case systems; the codes and texts are **(unverified)** against Socialstyrelsen's current technical
description and must be mapped to its layout by the statistics export (a versioned layout, FU-S1).
"""

from __future__ import annotations

BARRIERS: dict[str, str] = {
    "unemployed_no_benefit": "Arbetslös – ingen ersättning",
    "unemployed_insufficient_benefit": "Arbetslös – otillräcklig ersättning",
    "unemployed_awaiting_benefit": "Arbetslös – väntar på ersättning",
    "sick_no_benefit": "Sjukskriven med läkarintyg – ingen sjukpenning",
    "sick_insufficient_benefit": "Sjukskriven med läkarintyg – otillräcklig sjukpenning",
    "sick_awaiting_benefit": "Sjukskriven med läkarintyg – väntar på sjukpenning",
    "sickness_compensation_insufficient": "Sjuk- eller aktivitetsersättning – otillräcklig eller väntar",
    "social_reasons": "Arbetshinder av sociala skäl",
    "parental_benefit_insufficient": "Föräldrapenning – otillräcklig eller väntar",
    "working_insufficient_income": "Arbetar heltid eller deltid – otillräcklig inkomst",
    "pension_insufficient": "Pension eller äldreförsörjningsstöd – otillräcklig eller väntar",
    "establishment_benefit": "Etableringsersättning – saknas, otillräcklig eller väntar",
    "lacking_childcare": "Saknar barnomsorg",
    "unaccompanied_18_20_school": "Ensamkommande 18–20 år i gymnasieskola",
    "none": "Utan försörjningshinder",
}

# What a household type is called in Socialstyrelsen's register (followup.md 3.1).
HOUSEHOLD_TYPES: dict[int, str] = {
    1: "Endast barn under 18 år",
    3: "Ensamstående man utan barn",
    4: "Ensamstående man med barn",
    5: "Ensamstående kvinna utan barn",
    6: "Ensamstående kvinna med barn",
    7: "Sammanboende utan barn",
    8: "Sammanboende med barn",
    9: "Okänd",
}

# Reasonable cost types the applicant may state (riksnorm.md 3.3) and other needs (3.4), in display order.
COST_TYPES = ("housing", "household_electricity", "home_insurance", "work_travel", "union_fee", "unemployment_fund_fee")
OTHER_NEED_TYPES = ("health_care", "medicine", "dental_care", "glasses", "childcare_fee", "home_equipment", "other")
# Income types asked for in the e-service (riksnorm.md 3.6), in display order.
INCOME_TYPES = (
    "salary",
    "unemployment_benefit",
    "sickness_benefit",
    "sickness_compensation",
    "parental_benefit",
    "activity_support",
    "establishment_benefit",
    "student_aid",
    "pension",
    "child_allowance",
    "maintenance_support",
    "maintenance_payment",
    "housing_allowance",
    "other",
)
# Incomes paid to the household as a whole (shown once, attributed to the applicant).
HOUSEHOLD_INCOME_TYPES = ("child_allowance", "maintenance_support", "maintenance_payment", "housing_allowance")


def household_type(*, applicant_sex: str, has_partner: bool, children: int, applicant_adult: bool = True) -> int:
    """Socialstyrelsen's household type code for one household month."""
    if not applicant_adult:
        return 1
    if has_partner:
        return 8 if children else 7
    if applicant_sex == "M":
        return 4 if children else 3
    if applicant_sex == "F":
        return 6 if children else 5
    return 9
