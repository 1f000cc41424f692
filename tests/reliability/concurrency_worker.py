"""One writer for test_concurrency: runs its storeops commands one after the other.

Usage: python concurrency_worker.py PLAN.json inprocess|subprocess
  inprocess  : each command through storeops.cli.main.main (the console script's entry point)
  subprocess : each command as its own `python -m storeops` process
Prints a JSON list of exit codes on stdout; command messages go to stderr.
"""

import json
import subprocess
import sys


def run_inprocess(argv: list[str]) -> int:
    from storeops.cli.main import main

    try:
        main(argv)
    except SystemExit as exit:
        return 0 if exit.code is None else int(exit.code)
    return 0


def run_subprocess(argv: list[str]) -> int:
    return subprocess.run([sys.executable, "-m", "storeops", *argv]).returncode


if __name__ == "__main__":
    plan = json.loads(open(sys.argv[1], encoding="utf-8").read())
    runner = run_inprocess if sys.argv[2] == "inprocess" else run_subprocess
    print(json.dumps([runner(argv) for argv in plan]))
