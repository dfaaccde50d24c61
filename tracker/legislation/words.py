"""What a bill's stages and the houses of Parliament are called on pages, in the page's language.

The stage names are the matcher's vocabulary (tracker/matching/bills.py, STAGES); these are their labels.
"""
from flask_babel import lazy_gettext as _l

STAGE_LABELS = {
    "introduced": _l("Introduced"), "referred_to_committee": _l("Referred to a committee"),
    "committee_report": _l("Committee report"), "passed_first_house": _l("Passed by the first house"),
    "passed_second_house": _l("Passed by the second house"), "assent": _l("Assent"),
    "gazette_notification": _l("Gazette notification"), "lapsed": _l("Lapsed"), "withdrawn": _l("Withdrawn"),
}
HOUSE_LABELS = {"National Assembly": _l("National Assembly"), "Senate": _l("Senate")}


def stage_label(stage: str | None) -> str:
    return str(STAGE_LABELS.get(stage or "", (stage or "").replace("_", " ")))


def house_label(house: str | None) -> str:
    return str(HOUSE_LABELS.get(house or "", house or ""))
