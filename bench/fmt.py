"""How the benchmark writes numbers and tables: Markdown, ready to paste into the README."""


def seconds(t):
    if t < 0.01:
        return f"{t * 1000:.1f} ms"
    if t < 1:
        return f"{t * 1000:.0f} ms"
    return f"{t:.2f} s" if t < 10 else f"{t:.1f} s"


def timing(measured, limits):
    """The median wall time of a measure, ± the standard deviation when it was run more than once;
    of a run stopped at one of its LIMITS (timeout, memory), which limit and when."""
    timeout, memory_kb = limits
    if measured.stopped == "timeout":
        return f"> {timeout:g} s"
    if measured.stopped == "memory":
        return f"stopped at {seconds(measured.median)}: over {megabytes(memory_kb)}"
    if len(measured.runs) == 1:
        return seconds(measured.median)
    return f"{seconds(measured.median)} ± {seconds(measured.stdev)}"


def ratio(x):
    if x < 1:
        return f"{x:.2g}×"
    return f"{x:.1f}×" if x < 100 else f"{x:,.0f}×"


def megabytes(kb):
    if kb is None:
        return "—"
    mb = kb / 1024
    return f"{mb:.1f} MB" if mb < 10 else f"{mb:,.0f} MB"


def peak(measured):
    """The peak memory of a measure; of a stopped run, what it had reached then."""
    if measured.peak_kb is None:
        return "—"
    return ("≥ " if measured.stopped else "") + megabytes(measured.peak_kb)


def cores(share):
    return f"{share:.2f}"


def cpu(measured):
    """The cores a measure kept busy; unknown for a stopped run, whose children were not waited
    for."""
    return "—" if measured.stopped else cores(measured.cpu_share)


def table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(["---"] * len(headers)) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
