"""storeops serve: the site on 127.0.0.1, rebuilt when the stores repo's files change."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path


def fingerprint(root: Path) -> tuple:
    """What a rebuild depends on: the project files, the team file, the team's SOPs and the checked-out commit."""
    paths = [root / "storeops.yaml", root / ".git" / "HEAD"]
    for folder in ("projects", "sop"):
        if (root / folder).is_dir():
            paths += sorted((root / folder).glob("*.yaml"))
    head = root / ".git" / "HEAD"
    if head.is_file():
        ref = head.read_text(encoding="utf-8", errors="replace").strip()
        if ref.startswith("ref: "):
            paths.append(root / ".git" / ref[5:])
    out = []
    for path in paths:
        try:
            stat = path.stat()
            out.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            out.append((str(path), None, None))
    return tuple(out)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def serve(root: Path, folder: Path, rebuild, port: int, on_ready, on_rebuilt, interval: float = 1.0,
          stop: threading.Event | None = None) -> None:
    """Serve `folder` on 127.0.0.1:port; call rebuild() whenever fingerprint(root) changes.

    on_ready(port) once listening; on_rebuilt(error or None) after each rebuild. Returns when
    `stop` is set (or on Ctrl-C, which the caller sees as KeyboardInterrupt).
    """
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stop = stop or threading.Event()
    try:
        on_ready(server.server_address[1])
        seen = fingerprint(root)
        while not stop.wait(interval):
            now = fingerprint(root)
            if now == seen:
                continue
            seen = now
            try:
                rebuild()
                on_rebuilt(None)
            except Exception as error:  # a half-edited file: keep serving the last good site
                on_rebuilt(error)
    finally:
        server.shutdown()
        server.server_close()
