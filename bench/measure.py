"""Runs a command repeatedly and measures it: wall time and CPU time from the kernel's accounting of
the child (wait4), peak memory from GNU time. A run that outlasts its timeout or outgrows its
memory limit is stopped, so that a blow-up neither hangs the benchmark nor takes the machine's
memory."""

import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass

# wait4's peak memory of a child of this script is never below this script's own resident set,
# which the child's exec records; GNU time forks from a small process and reports its child's.
GNU_TIME = "/usr/bin/time"

# How often a running command's time and memory are checked: a run shorter than this is never
# looked at, so fast cases are timed undisturbed.
POLL = 0.5


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds, the child and the children it waited for
    peak_kb: "int | None"  # largest resident set, when measured; so far, when the run was stopped
    code: "int | None"  # exit code; None when the run was stopped
    stopped: "str | None"  # "timeout" or "memory" when the run was stopped, for that reason
    stdout: bytes  # empty unless kept


def run_once(argv, timeout, memory_kb=None, keep=False, peak=False, cwd=None):
    """One run of ARGV, stopped after TIMEOUT seconds or past MEMORY_KB of resident memory. Its
    stdout is kept when KEEP, and goes to /dev/null otherwise (as a timed run's should: a pipe to
    this script would be timed too); stderr is dropped. Its peak memory is measured when PEAK and
    GNU time is installed, at the cost of one more exec."""
    peak_file = None
    if peak and os.path.exists(GNU_TIME):
        fd, peak_file = tempfile.mkstemp(prefix="peak-")
        os.close(fd)
        argv = [GNU_TIME, "-f", "%M", "-o", peak_file, *argv]
    started = time.perf_counter()
    out = subprocess.PIPE if keep else subprocess.DEVNULL
    # Its own process group, so that stopping it also ends its children (GNU time's, find's cat).
    child = subprocess.Popen(
        argv, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, start_new_session=True
    )
    ended = threading.Event()
    stopped = []  # why the run was stopped, and its peak memory then

    def watch():
        while not ended.wait(POLL):
            used = group_peak_kb(child.pid)
            reason = "timeout" if time.perf_counter() - started > timeout else None
            if memory_kb and used > memory_kb:
                reason = "memory"
            if reason:
                stopped.append((reason, used))
                try:
                    os.killpg(child.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass  # it ended just now
                return

    watcher = threading.Thread(target=watch)
    watcher.start()
    # Read before waiting: a child whose output fills the pipe would never exit.
    stdout = b""
    if keep:
        stdout = child.stdout.read()
        child.stdout.close()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    ended.set()
    watcher.join()
    child.returncode = os.waitstatus_to_exitcode(status)  # waited for here, not by Popen
    reason, peak_kb = stopped[0] if stopped else (None, None)
    if peak_file:
        with open(peak_file) as f:
            # GNU time writes "Command exited with non-zero status N" first when it is not 0, and
            # nothing when killed with it.
            words = f.read().split()
        os.remove(peak_file)
        peak_kb = peak_kb if stopped else int(words[-1])
    code = None if stopped else child.returncode
    return Run(wall, usage.ru_utime + usage.ru_stime, peak_kb, code, reason, stdout)


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
    def stopped(self):
        """Why a run was stopped ("timeout" or "memory"), or None when none was."""
        return next((r.stopped for r in self.runs if r.stopped), None)

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


def measure(argv, limits, budget):
    """Runs ARGV once to warm the page cache, keep its output and measure its peak memory, then
    again for about BUDGET seconds (3 to 30 timed runs), unless it is slow or was stopped. LIMITS
    is (timeout in seconds, memory limit in KB or None). The warm-up run is timed only when it is
    the only run."""
    warm = run_once(argv, *limits, keep=True, peak=True)
    if warm.stopped or warm.wall >= SLOW:
        return Measure([warm], warm.stdout, warm.peak_kb)
    count = max(3, min(30, round(budget / max(warm.wall, 1e-3))))
    return Measure([run_once(argv, *limits) for _ in range(count)], warm.stdout, warm.peak_kb)
