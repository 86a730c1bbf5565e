"""What a run of oauthlint found, read from its JSON report."""

import json

import gen

LIMIT_RULE = "analysis-limit-reached"


def diagnostics(measured):
    """The findings of a run's JSON report; None when the run timed out or failed."""
    if measured.timed_out or measured.runs[0].code not in (0, 1):
        return None
    return json.loads(measured.output)["diagnostics"]


def why_none(measured):
    """What a findings cell says when there are none to count."""
    return "timed out" if measured.timed_out else f"exit {measured.runs[0].code}"


def count(measured):
    found = diagnostics(measured)
    return why_none(measured) if found is None else len(found)


def limits(found):
    return sum(1 for d in found if d["rule"] == LIMIT_RULE)


def unreachable_flows(found):
    """Of the `unreachable-flow` findings: whether the planted flow is among them, and how many
    others there are."""
    flows = [d for d in found if d["rule"] == "unreachable-flow"]
    planted = [d for d in flows if f"`{gen.PLANTED}`" in d["message"]]
    return bool(planted), len(flows) - len(planted)
