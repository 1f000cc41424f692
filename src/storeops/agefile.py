"""The header of an age file, read without a key: enough to tell ciphertext from plaintext named `.age`.

age v1 (https://age-encryption.org/v1): the line `age-encryption.org/v1`, one or more stanzas
(`-> TYPE ARGS...` then base64 body lines of 64 characters, the last one shorter, maybe empty),
the MAC line `--- ` + 43 characters of base64, then the binary payload (a 16-byte nonce and at
least one 16-byte-tagged chunk). Only the shape is checked: the MAC needs the file key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAGIC = b"age-encryption.org/v1"
ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
_B64 = re.compile(rb"[A-Za-z0-9+/]*\Z")
_ARG = re.compile(rb"[\x21-\x7e]+\Z")  # visible ASCII
_MAX_HEADER = 1 << 20                   # a header with this many bytes is not a real one
_MIN_PAYLOAD = 16 + 16                  # nonce + the tag of the last (maybe empty) chunk


@dataclass(frozen=True)
class Header:
    stanzas: tuple[tuple[bytes, ...], ...]   # (type, args...) per recipient stanza
    payload: int                             # bytes after the header


class HeaderError(ValueError):
    pass


def parse(data: bytes) -> Header:
    """The header of binary or armored age data; HeaderError says what is wrong."""
    if data.lstrip().startswith(ARMOR_BEGIN):
        from storeops.vault import dearmor

        try:
            data = dearmor(data.decode("ascii"))
        except (ValueError, UnicodeDecodeError):
            raise HeaderError("broken age armor") from None
    lines, position = _lines(data)
    if not lines or lines[0] != MAGIC:
        raise HeaderError("no age header (the file does not start with age-encryption.org/v1)")
    stanzas: list[tuple[bytes, ...]] = []
    i = 1
    while i < len(lines):
        line = lines[i]
        if line.startswith(b"--- "):
            mac = line[4:]
            if len(mac) != 43 or not _B64.match(mac):
                raise HeaderError("the header's MAC line is malformed")
            if not stanzas:
                raise HeaderError("the header names no recipient")
            payload = len(data) - position[i]
            if payload < _MIN_PAYLOAD:
                raise HeaderError("the encrypted payload is missing or cut short")
            return Header(tuple(stanzas), payload)
        if not line.startswith(b"-> "):
            raise HeaderError(f"line {i + 1} of the header is neither a stanza nor the MAC line")
        words = line[3:].split(b" ")
        if not words or not all(_ARG.match(w) for w in words):
            raise HeaderError(f"stanza on line {i + 1} is malformed")
        i += 1
        while True:  # body: full 64-column lines, then a shorter one
            if i >= len(lines):
                raise HeaderError("the header ends inside a stanza")
            body = lines[i]
            if len(body) > 64 or not _B64.match(body):
                raise HeaderError(f"stanza body on line {i + 1} is not base64")
            i += 1
            if len(body) < 64:
                break
        stanzas.append(tuple(words))
    raise HeaderError("the header has no MAC line (---)")


def _lines(data: bytes) -> tuple[list[bytes], list[int]]:
    """The header's lines, and after each line the offset where the next byte starts."""
    lines, ends, start = [], [], 0
    limit = min(len(data), _MAX_HEADER)
    while start < limit:
        end = data.find(b"\n", start, limit)
        if end < 0:
            break
        line = data[start:end]
        lines.append(line)
        ends.append(end + 1)
        start = end + 1
        if line.startswith(b"--- "):
            break
    return lines, ends


def problem(data: bytes) -> str | None:
    """What is wrong with the header of `data`, or None when it parses."""
    try:
        parse(data)
    except HeaderError as error:
        return str(error)
    return None
