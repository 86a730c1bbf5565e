"""Runs a command repeatedly and measures it: wall time and CPU time from the kernel's accounting of
the child (wait4), peak memory from GNU time, with a timeout that kills the run instead of hanging
the benchmark."""

import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds, the child and the children it waited for
    peak_kb: "int | None"  # largest resident set, when measured; so far, when the run was killed
    code: "int | None"  # exit code; None when the timeout killed the run
    stdout: bytes  # empty unless kept


# wait4's peak memory of a child of this script is never below this script's own resident set,
# which the child's exec records; GNU time forks from a small process and reports its child's.
GNU_TIME = "/usr/bin/time"


def run_once(argv, timeout, keep=False, peak=False, cwd=None):
    """One run of ARGV, killed after TIMEOUT seconds. Its stdout is kept when KEEP, and goes to
    /dev/null otherwise (as a timed run's should: a pipe to this script would be timed too);
    stderr is dropped. Its peak memory is measured when PEAK and GNU time is installed, at the
    cost of one more exec."""
    peak_file = None
    if peak and os.path.exists(GNU_TIME):
        fd, peak_file = tempfile.mkstemp(prefix="peak-")
        os.close(fd)
        argv = [GNU_TIME, "-f", "%M", "-o", peak_file, *argv]
    started = time.perf_counter()
    out = subprocess.PIPE if keep else subprocess.DEVNULL
    # Its own process group, so that the timeout also ends its children (find's cat).
    child = subprocess.Popen(
        argv, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, start_new_session=True
    )
    killed = []  # the peak memory of the run when the timeout ended it

    def kill():
        killed.append(group_peak_kb(child.pid))
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it ended just now

    timer = threading.Timer(timeout, kill)
    timer.start()
    # Read before waiting: a child whose output fills the pipe would never exit.
    stdout = b""
    if keep:
        stdout = child.stdout.read()
        child.stdout.close()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    timer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)  # waited for here, not by Popen
    code = None if killed else child.returncode
    peak_kb = killed[0] if killed else None
    if peak_file:
        with open(peak_file) as f:
            # GNU time writes "Command exited with non-zero status N" first when it is not 0, and
            # nothing when killed with it.
            words = f.read().split()
        os.remove(peak_file)
        peak_kb = peak_kb if killed else int(words[-1])
    return Run(wall, usage.ru_utime + usage.ru_stime, peak_kb, code, stdout)


def group_peak_kb(group):
    """The largest peak resident set (VmHWM) among the live processes of process group GROUP."""
    peaks = [0]
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                # The fifth field, after the command name in parentheses, is the process group.
                if int(f.read().rsplit(")", 1)[1].split()[2]) != group:
                    continue
            with open(f"/proc/{pid}/status") as f:
                peaks += [int(line.split()[1]) for line in f if line.startswith("VmHWM:")]
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile, or a kernel thread without memory
    return max(peaks)


@dataclass
class Measure:
    runs: list
    output: bytes  # what the command printed on its first run
    peak_kb: "int | None"  # the first run's peak memory (the program is deterministic)

    @property
    def timed_out(self):
        return any(r.code is None for r in self.runs)

    @property
    def median(self):
        return statistics.median(r.wall for r in self.runs)

    @property
    def stdev(self):
        return statistics.stdev(r.wall for r in self.runs) if len(self.runs) > 1 else 0.0

    @property
    def cpu_share(self):
        """CPU time over wall time: 2.0 means two cores were busy for the whole run."""
        return sum(r.cpu for r in self.runs) / sum(r.wall for r in self.runs)


# A run slower than this is measured once: repeating it would not change what the table says.
SLOW = 10.0


def measure(argv, timeout, budget):
    """Runs ARGV once to warm the page cache, keep its output and measure its peak memory, then
    again for about BUDGET seconds (3 to 30 timed runs), unless it is slow or timed out. The
    warm-up run is timed only when it is the only run."""
    warm = run_once(argv, timeout, keep=True, peak=True)
    if warm.code is None or warm.wall >= SLOW:
        return Measure([warm], warm.stdout, warm.peak_kb)
    count = max(3, min(30, round(budget / max(warm.wall, 1e-3))))
    return Measure([run_once(argv, timeout) for _ in range(count)], warm.stdout, warm.peak_kb)
