"""Crash points for the reliability tests (tests/reliability/test_crash_safety.py). Test-only.

With STOREOPS_FAULT=<point> in the environment the process kills itself with
SIGKILL when it reaches <point>, so a test can prove that dying exactly there
loses nothing. Nobody sets it in real use; unset, a point costs one dict lookup.

Points on the write path, in order:
  mid-write      half of the new text is in the temp file (flushed to disk)
  before-rename  the temp file is complete, the real file not yet replaced
  before-add     the file is replaced, git has not seen it yet
  before-commit  the blobs and trees are written (or `git add` is done), no commit yet
  before-ref     the commit exists and index.lock holds the new index; HEAD not moved (plumbing only)
  after-ref      HEAD moved; index.lock not yet renamed over the index (plumbing only)
  after-commit   git has committed, storeops has not yet read the new HEAD
"""

from __future__ import annotations

import os
import signal

POINTS = ("mid-write", "before-rename", "before-add", "before-commit", "before-ref", "after-ref", "after-commit")


def crash_point(point: str, flush=None) -> None:
    if os.environ.get("STOREOPS_FAULT") != point:
        return
    if flush is not None:  # make the partial write real before dying
        flush.flush()
        os.fsync(flush.fileno())
    os.kill(os.getpid(), signal.SIGKILL)
