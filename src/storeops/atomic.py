"""Atomic file writes: temp file + fsync + rename, so a reader sees the old file or the new one.

Below repo (the stores repo) and journal (the write journal), which both write this way.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from storeops import faults
from storeops.errors import EnvError

TEMP_MARK = ".storeops-"  # in temp file names, so a sweep only removes our own


# errors that mean "this file system will not take the write": the environment, not a bug
WRITE_ERRORS = (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EFBIG)


def write_refused(path: Path, error: OSError) -> EnvError:
    refused = EnvError(f"{path}: cannot write ({os.strerror(error.errno)})",
                       hint="free disk space or fix permissions; nothing was changed")
    refused.reason = os.strerror(error.errno)
    return refused


def atomic_write(path: Path, text: str) -> None:
    """Write via temp file + fsync + rename: readers see the old file or the new one."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Bytes via temp file + fsync + rename. The file gets `mode`, else the mode it had, else what the
    umask allows (mkstemp's 0600 would hide project files from the team's other accounts)."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if mode is None:
            mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            half = len(data) // 2
            handle.write(data[:half])
            faults.crash_point("mid-write", flush=handle)
            handle.write(data[half:])
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        faults.crash_point("before-rename")
        os.replace(tmp, path)
    except BaseException as error:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(error, OSError) and error.errno in WRITE_ERRORS:
            raise write_refused(path, error) from None
        raise
    # the rename is durable once the folder is; failing here cannot leave a partial file
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """fsync a folder, so that a rename in it survives a power cut; best effort (not every file system can)."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
