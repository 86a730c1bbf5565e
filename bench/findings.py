"""What a run of oauthlint found, read from its JSON report."""

import json

import gen

LIMIT_RULE = "analysis-limit-reached"


def diagnostics(measured):
    """The findings of a run's JSON report; None when the run was stopped or failed, or printed
    no report (a baseline binary may not know `--format json`)."""
    if measured.stopped or measured.runs[0].code not in (0, 1):
        return None
    try:
        return json.loads(measured.output)["diagnostics"]
    except (ValueError, KeyError, TypeError):
        return None


def why_none(measured):
    """What a findings cell says when there are none to count."""
    said = {"timeout": "timed out", "memory": "out of memory"}
    return said.get(measured.stopped, f"no JSON report (exit {measured.runs[0].code})")


def count(measured):
    found = diagnostics(measured)
    return why_none(measured) if found is None else len(found)


def limits(found):
    return sum(1 for d in found if d["rule"] == LIMIT_RULE)


def planted(finding):
    return finding["rule"] == "unreachable-flow" and f"`{gen.PLANTED}`" in finding["message"]


def found_planted(found):
    return any(planted(d) for d in found)


def others(found):
    """The findings of a generated proxy beside the planted flow and the limits, by rule: there
    should be none, so each is a false alarm or a file oauthlint did not read."""
    rules = sorted(d["rule"] for d in found if not planted(d) and d["rule"] != LIMIT_RULE)
    return ", ".join(f"{rule} {rules.count(rule)}" for rule in dict.fromkeys(rules)) or "none"
