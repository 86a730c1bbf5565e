#!/usr/bin/env python3
"""The benchmark of the README's speed section; `bench/run` builds the release binary and runs it.
Markdown tables go to stdout, progress to stderr. Each case is a process timed from outside, as a
user or CI runs it, with its output in `--format json` so that its findings can be counted."""

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile

import apigeelint_runs
import findings
import gen
from fmt import cores, cpu, megabytes, peak, ratio, seconds, table, timing
from measure import GNU_TIME, SLOW, measure
from targets import FEW, MANY, targets

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "bundles")
SHAPES = [("A", "a"), ("B", "b"), ("deep", "deep"), ("callout", "callout")]
BUNDLE_COUNTS = [FEW, 500, 1000, MANY]


def log(message):
    print(message, file=sys.stderr, flush=True)


def lint(binary, path):
    return [binary, path, "--format", "json"]


def count_files(root):
    return sum(len(files) for _, _, files in os.walk(root))


def bundle_folders(root):
    """The bundles below ROOT, as oauthlint finds them: folders named apiproxy or
    sharedflowbundle, outside hidden folders and node_modules."""
    found = []
    for folder, subfolders, _ in os.walk(root):
        subfolders[:] = sorted(
            s for s in subfolders if not s.startswith(".") and s != "node_modules"
        )
        if os.path.basename(folder) in ("apiproxy", "sharedflowbundle"):
            found.append(folder)
            subfolders.clear()
    return found


def corpus(args, work, facts):
    if not os.path.isdir(CORPUS):
        facts["apigeelint_skipped"] = "no corpus"
        return "Skipped: `../shared/corpus/bundles` is not beside the clone.\n"
    bundles = bundle_folders(CORPUS)
    log(f"corpus: the floor, then oauthlint on {len(bundles)} bundles")
    # The floor: finding and reading every file, as a process too.
    floor = measure(
        ["find", CORPUS, "-type", "f", "-exec", "cat", "{}", "+"], args.limits, args.budget
    )
    ours = measure(lint(args.binary, CORPUS), args.limits, args.budget)
    facts["corpus"] = ours.median / floor.median

    def row(name, m, found):
        return [
            name,
            timing(m, args.limits),
            ratio(m.median / floor.median),
            ratio(m.median / ours.median),
            peak(m),
            cpu(m),
            found,
        ]

    rows = [
        row("read every file, the floor (`find -type f -exec cat`)", floor, ""),
        row("oauthlint, one process", ours, findings.count(ours)),
    ]
    if args.baseline:
        log(f"corpus: the baseline {args.baseline}")
        base = measure(lint(args.baseline, CORPUS), args.limits, args.budget)
        rows.append(row(f"baseline `{args.baseline}`", base, findings.count(base)))
    note = f"{len(bundles)} bundles, {count_files(CORPUS):,} files, linted as one project."
    if args.quick:
        facts["apigeelint_skipped"] = "--quick"
        note += " apigeelint: skipped (--quick)."
    else:
        note += " " + compare_apigeelint(args, work, bundles, floor, ours, rows, facts)
    headers = ["run", "time", "× floor", "× oauthlint", "peak memory", "CPU (cores)", "findings"]
    return table(headers, rows) + "\n" + note + "\n"


def compare_apigeelint(args, work, bundles, floor, ours, rows, facts):
    """Adds apigeelint's row to ROWS when it can run; returns the note that says how it ran."""
    log("apigeelint: npm install")
    executable, version = apigeelint_runs.install(os.path.join(work, "apigeelint"))
    if executable is None:
        facts["apigeelint_skipped"] = version
        return f"apigeelint: skipped, {version}."
    log(f"apigeelint {version}: {len(bundles)} processes, one after the other")
    runs = apigeelint_runs.lint_each(executable, bundles, args.limits[0], work)
    wall = sum(r.wall for r in runs)
    facts["apigeelint"] = wall / ours.median
    peaks = [r.peak_kb for r in runs if r.peak_kb is not None]
    rows.append(
        [
            f"apigeelint {version}, one process per bundle",
            f"{seconds(wall)} in all",
            ratio(wall / floor.median),
            ratio(wall / ours.median),
            megabytes(max(peaks) if peaks else None),
            cores(sum(r.cpu for r in runs) / wall),
            "",
        ]
    )
    # apigeelint exits 1 when it reports an error; another exit code is a failure of its own.
    errors = sum(1 for r in runs if r.code == 1)
    failed = sum(1 for r in runs if r.code not in (0, 1))
    return (
        f"apigeelint {version} from the npm registry, "
        f"`apigeelint -s BUNDLE -f json.js --profile apigeex` for each bundle, one after the "
        f"other: {errors} of {len(runs)} runs reported errors, {failed} failed or were stopped."
    )


def shape_row(label, flows, m, base, limits):
    """One row of the generated-proxies table; BASE is the same shape's run at 100 flows."""
    if base is None or base.stopped:
        growth = ""
    else:
        # A stopped run took longer than it ran.
        growth = ("> " if m.stopped else "") + ratio(m.median / base.median)
    found = findings.diagnostics(m)
    if found is None:
        counts = [findings.why_none(m)] * 3
    else:
        planted = "yes" if findings.found_planted(found) else "**no**"
        counts = [findings.limits(found), planted, findings.others(found)]
    return [label, f"{flows:,}", timing(m, limits), growth, peak(m), *counts]


def shapes(args, work, facts):
    sizes = [10, 100, 1000] + ([] if args.quick else [10000])
    rows = []
    for label, kind in SHAPES:
        done = facts["shapes"][label] = {}
        for flows in sizes:
            if any(m.stopped for m in done.values()):
                break  # a larger proxy would be stopped too
            root = os.path.join(work, f"{kind}-{flows}")
            gen.SHAPES[kind](flows, root)
            log(f"shape {label}: {flows:,} flows")
            done[flows] = measure(lint(args.binary, root), args.limits, args.budget)
            shutil.rmtree(root)
        for flows in sizes:
            if flows in done:
                rows.append(shape_row(label, flows, done[flows], done.get(100), args.limits))
            else:
                rows.append(
                    [
                        label,
                        f"{flows:,}",
                        "not run: a smaller proxy was stopped",
                        "",
                        "",
                        "",
                        "",
                        "",
                    ]
                )
    headers = [
        "shape",
        "flows",
        "time",
        "× 100 flows",
        "peak memory",
        findings.LIMIT_RULE,
        "planted flow found",
        "other findings",
    ]
    legend = (
        'A: each flow `(proxy.pathsuffix MatchesPath "/rN/*") and (request.verb = "GET")` with '
        'two AssignMessage steps, one under `request.queryparam.q = "N"`. B: flows '
        '`(proxy.pathsuffix MatchesPath "/rN/*") and (request.verb = "GET" or '
        'request.header.x-mN = "y")`, which overlap. deep: two steps a flow under conditions '
        "nested four levels, one FaultRule for every ten flows. callout: each flow calls one of "
        "ten shared flows through a FlowCallout, and each of those a common one. Each proxy ends "
        f"with one planted flow, `{gen.PLANTED}` (`{gen.PLANTED_CONDITION}`), that flow r1 "
        "shadows: `unreachable-flow` should report it, and nothing else should be reported "
        "(other findings are false alarms, or files not read)."
    )
    return table(headers, rows) + "\n" + legend + "\n"


def many(args, work, facts):
    rows = []
    for count in BUNDLE_COUNTS:
        root = os.path.join(work, f"many-{count}")
        gen.many(count, root)
        files = count_files(root)
        log(f"{count:,} bundles")
        m = facts["many"][count] = measure(lint(args.binary, root), args.limits, args.budget)
        shutil.rmtree(root)
        rows.append(
            [
                f"{count:,}",
                f"{files:,}",
                timing(m, args.limits),
                "" if m.stopped else seconds(m.median / count),
                peak(m),
                cpu(m),
                findings.count(m),
            ]
        )
    headers = ["bundles", "files", "time", "per bundle", "peak memory", "CPU (cores)", "findings"]
    legend = (
        "One repository of small bundles: one shared flow for every twenty, the others proxies "
        "of five flows that verify a token and call one of the shared flows."
    )
    return table(headers, rows) + "\n" + legend + "\n"


def proc_field(path, name):
    """The value of the first line of a /proc file that starts with NAME, or None."""
    with open(path) as f:
        return next((line.split(":", 1)[1].strip() for line in f if line.startswith(name)), None)


def machine():
    model = proc_field("/proc/cpuinfo", "model name") or platform.machine()
    gib = int(proc_field("/proc/meminfo", "MemTotal").split()[0]) / 1024 / 1024
    cpus = len(os.sched_getaffinity(0))
    return f"{cpus} cores ({model}), {gib:.1f} GiB memory, Linux {platform.release()}"


def revision():
    done = subprocess.run(
        ["git", "-C", ROOT, "describe", "--always", "--dirty"],
        check=False,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or "unknown"


def preamble(args):
    quick = ", --quick" if args.quick else ""
    memory = (
        "Peak memory is the largest resident set (GNU time)."
        if os.path.exists(GNU_TIME)
        else "Peak memory is not measured: GNU time is not installed (apt-get install time)."
    )
    return (
        f"oauthlint `{revision()}`, release build, {datetime.date.today()}{quick}. "
        f"Machine: {machine()}.\n\n"
        "Times are medians ± standard deviation of repeated runs "
        f"(a run over {SLOW:g} s runs once); a run of oauthlint is stopped after "
        f"{args.timeout:g} s or past {args.memory:g} GiB of memory. "
        "CPU is user + system time over wall time. "
        f"{memory}\n"
    )


def main():
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--binary", required=True, help="the oauthlint binary measured")
    parser.add_argument(
        "--quick", action="store_true", help="skip apigeelint and the 10,000-flow proxies"
    )
    parser.add_argument(
        "--timeout", type=float, default=120, help="seconds before a run is stopped (default 120)"
    )
    parser.add_argument(
        "--memory",
        type=float,
        default=4,
        help="GiB of resident memory past which a run of oauthlint is stopped (default 4)",
    )
    parser.add_argument(
        "baseline", nargs="?", help="another oauthlint binary to compare on the corpus"
    )
    args = parser.parse_args()
    args.budget = 1.0 if args.quick else 3.0  # seconds of repeated runs for each case
    args.limits = (args.timeout, int(args.memory * 1024 * 1024))
    facts = {"shapes": {}, "many": {}}
    with tempfile.TemporaryDirectory(prefix="oauthlint-bench-") as work:
        sections = [
            ("Corpus", corpus(args, work, facts)),
            ("Generated proxies", shapes(args, work, facts)),
            ("Many bundles", many(args, work, facts)),
        ]
    print(preamble(args))
    for title, text in sections:
        print(f"#### {title}\n\n{text}")
    print(f"#### Targets\n\n{targets(args, facts)}", end="")


if __name__ == "__main__":
    main()
