"""Round 4, decisive events on unseen wording: each mechanism by its behaviour on sentences of our own."""
import dataclasses

import pytest

from tracker.matching.evaluate import load_register
from tracker.matching.matcher import Matcher, profiles_from_register


@pytest.fixture(scope="module")
def matcher():
    recs, bills = profiles_from_register(load_register())
    # every recommendation not yet assessed, so any event may propose a status
    return Matcher([dataclasses.replace(r, status="not_assessed") for r in recs], bills)


def statuses(matches):
    return {m.code: m.proposed_status for m in matches}


# ---------------------------------------------------------------------------- a later step still to come

@pytest.mark.parametrize("onward", [
    "It now heads to the Governor for assent.",
    "The measure will be sent to the President for his signature.",
    "It is now sent to the Senate.",
])
def test_a_passage_with_the_completing_step_still_to_come_is_progress(matcher, onward):
    title = "Sindh lawmakers pass child protection amendment"
    text = ("The Sindh Assembly passed an amendment to the child protection law on Thursday, empowering the "
            "child protection authority to refer children to services and justice. " + onward)
    got = statuses(matcher.match(title, text))
    assert got.get("LEG-08") == "in_progress"
    # without the onward step, the same passage is a (provincial, so partial) implementation
    done = statuses(matcher.match(title, text.replace(onward, "")))
    assert done.get("LEG-08") == "partially_implemented"


# ---------------------------------------------------------------------------- what the event's object covers

@pytest.mark.parametrize("provinces", [
    "along with the action plans of all provinces",
    "together with the provinces' action plans",
    "with province-level action plans",
])
def test_the_provinces_plans_named_by_their_owner_complete_a_national_policy(matcher, provinces):
    title = "Government adopts child online safety framework"
    text = f"The federal government adopted a national policy against online child sexual exploitation {provinces}."
    assert statuses(matcher.match(title, text)).get("GOV-13") == "implemented"
    # the national policy alone is part of what GOV-13 asks for
    alone = "The federal government adopted a national policy against online child sexual exploitation."
    assert statuses(matcher.match(title, alone)).get("GOV-13") == "partially_implemented"


# ---------------------------------------------------------------------------- a step and its consequence told next

def test_a_step_whose_effect_on_the_ask_is_told_in_the_next_sentence_is_progress(matcher):
    title = "Federal cabinet backs joining regional convention"
    step = ("The federal cabinet approved in principle Pakistan's accession to a regional convention against child "
            "sexual exploitation.")
    effect = (" Officials said membership would give investigators formal and informal police cooperation channels "
              "and extraterritorial jurisdiction for cross-border cases.")
    got = matcher.match(title, step + effect)
    assert statuses(got).get("INT-06") == "in_progress"
    # the same ask stated as background, not as the step's effect, takes no status from the step
    background = (" Investigators say formal and informal police cooperation channels and extraterritorial "
                  "jurisdiction matter in cross-border cases.")
    assert statuses(matcher.match(title, step + background)).get("INT-06") is None
