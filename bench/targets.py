"""The goals of the issue "Linear at any size", each beside what the run measured. The benchmark
shows them; meeting them is the engine's work."""

from findings import LIMIT_RULE, diagnostics, found_planted, limits
from fmt import cores, megabytes, ratio, table, timing

FEW, MANY = 250, 2000  # the bundle counts compared


def met(ok):
    return {None: "—", True: "yes", False: "**no**"}[ok]


def flows_targets(args, shaped):
    goals = ["every shape, 10,000 flows, under 1 s", "time from 100 to 10,000 flows ≤ 120×"]
    if args.quick:
        return [[goal, "not measured (--quick)", met(None)] for goal in goals]
    big = {label: runs.get(10000) for label, runs in shaped.items()}
    said = ", ".join(
        f"{label} {timing(m, args.limits) if m else 'not run'}" for label, m in big.items()
    )
    fast = all(m and not m.stopped and m.median < 1 for m in big.values())
    grew, linear = [], True
    for label, m in big.items():
        base = shaped[label].get(100)
        if not m or not base or base.stopped:
            grew.append(f"{label} unknown")
            linear = False
            continue
        # A stopped run would have taken longer than it ran.
        growth = m.median / base.median
        grew.append(f"{label} {'> ' if m.stopped else ''}{ratio(growth)}")
        linear = linear and not m.stopped and growth <= 120
    return [[goals[0], said, met(fast)], [goals[1], ", ".join(grew), met(linear)]]


def precision_targets(shaped):
    limited, missed, finished = [], [], 0
    for label, runs in shaped.items():
        for flows, m in runs.items():
            found = diagnostics(m)
            if found is None:
                continue
            finished += 1
            if limits(found):
                limited.append(f"{label} {flows:,}")
            if not found_planted(found):
                missed.append(f"{label} {flows:,}")

    def among(runs):
        listed = f": {', '.join(runs)}" if runs else ""
        return f"{len(runs)} of {finished} finished runs{listed}"

    return [
        [
            f"no `{LIMIT_RULE}` on a generated shape",
            "reported in " + among(limited),
            met(not limited),
        ],
        ["the planted shadowed flow found", "missed in " + among(missed), met(not missed)],
    ]


def corpus_targets(facts):
    floor_goal, apigeelint_goal = (
        "corpus within 1.5× of reading its files",
        "≥ 1,000× faster than apigeelint",
    )
    if "corpus" not in facts:
        return [
            [goal, "not measured (no corpus)", met(None)] for goal in (floor_goal, apigeelint_goal)
        ]
    rows = [[floor_goal, ratio(facts["corpus"]), met(facts["corpus"] <= 1.5)]]
    if "apigeelint" in facts:
        rows.append([apigeelint_goal, ratio(facts["apigeelint"]), met(facts["apigeelint"] >= 1000)])
    else:
        rows.append([apigeelint_goal, f"not measured ({facts['apigeelint_skipped']})", met(None)])
    return rows


def bundles_targets(many):
    few, lots = many[FEW], many[MANY]
    if few.stopped or lots.stopped:
        return [
            ["time, cores and memory at many bundles", "unknown: a run was stopped", met(False)]
        ]
    per_bundle = (lots.median / MANY) / (few.median / FEW)
    rows = [
        [
            f"time linear in bundles: per bundle at {MANY:,} within 1.5× of {FEW}",
            ratio(per_bundle),
            met(per_bundle <= 1.5),
        ],
        [
            f"both cores used at {MANY:,} bundles (CPU ≥ 1.5 cores)",
            cores(lots.cpu_share),
            met(lots.cpu_share >= 1.5),
        ],
    ]
    goal = (
        "peak memory set by the largest bundle, not their number: "
        f"{MANY:,} bundles within 1.5× of {FEW}"
    )
    if lots.peak_kb and few.peak_kb:
        grew = lots.peak_kb / few.peak_kb
        rows.append(
            [
                goal,
                f"{megabytes(lots.peak_kb)} against {megabytes(few.peak_kb)} ({ratio(grew)})",
                met(grew <= 1.5),
            ]
        )
    else:
        rows.append([goal, "not measured (no GNU time)", met(None)])
    return rows


def targets(args, facts):
    rows = flows_targets(args, facts["shapes"]) + precision_targets(facts["shapes"])
    rows += corpus_targets(facts) + bundles_targets(facts["many"])
    return table(["target", "measured", "met"], rows)
