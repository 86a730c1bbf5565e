"""apigeelint, the linter oauthlint is timed against: installed from the npm registry into a
temporary folder, and run once per bundle, as its users run it."""

import json
import os
import shutil
import subprocess

from measure import run_once

# The version measured, the one bench/apigeelint/ids.tsv inventories; a newer one may be faster
# or slower, so the table names it.
VERSION = "2.85.1"


def install(folder):
    """Installs apigeelint into FOLDER; returns (its executable, its version), or (None, why it
    could not)."""
    if not shutil.which("npm"):
        return None, "npm is not installed (apt-get install npm)"
    done = subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            folder,
            "--no-audit",
            "--no-fund",
            "--silent",
            f"apigeelint@{VERSION}",
        ],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if done.returncode != 0:
        return None, f"npm install apigeelint@{VERSION} failed: {done.stderr.strip()[-200:]}"
    with open(os.path.join(folder, "node_modules", "apigeelint", "package.json")) as f:
        installed = json.load(f)["version"]
    return os.path.join(folder, "node_modules", ".bin", "apigeelint"), installed


def lint_each(executable, bundles, timeout, cwd):
    """Runs apigeelint on each bundle folder, one after the other; returns the runs. CWD is a
    folder holding no `.apigeelintrc`, so that none changes what is measured."""
    return [
        run_once(
            [executable, "-s", bundle, "-f", "json.js", "--profile", "apigeex"],
            timeout,
            peak=True,
            cwd=cwd,
        )
        for bundle in bundles
    ]
