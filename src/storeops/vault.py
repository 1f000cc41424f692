"""Keys, readers and age encryption: the crypto half of the vault. No CLI, no git.

Recipients are people's public keys from storeops.yaml (`age1...` or an SSH
public key). A reader list names roles and people; roles are groups, resolved
to their current holders each time we encrypt, so `rekey` follows the team.
The identity (private key) that decrypts is found from STOREOPS_IDENTITY, the
user's config dir, or an SSH private key in ~/.ssh.

pyrage is imported inside the functions: commands that never touch
ciphertext (status, --help) must not pay for it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from storeops.config import Config, Person
from storeops.errors import EnvError, UsageError, did_you_mean
from storeops.model import ROLES, Document, Project, Task

# age spec: the binary format starts with this line; the armored one with the PEM header.
AGE_MAGIC = b"age-encryption.org/v1\n"
ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----"
ARMOR_END = "-----END AGE ENCRYPTED FILE-----"
SSH_KEY_TYPES = ("ssh-ed25519", "ssh-rsa")  # the SSH key types age can encrypt to
IDENTITY_FILE = "identity.txt"
SUFFIX = ".age"
OWNER = "owner"  # in a reader list: the project's owner at the time of encryption (follows handovers on rekey)


class NotAReader(EnvError):
    """The acting person is not among the readers of a document or secret."""


class CannotDecrypt(EnvError):
    """The identity at hand is not one the ciphertext was encrypted to."""


# ---- public keys ----

def normalize_key(text: str, option: str = "key") -> str:
    """A person's public key in one canonical line; refuses private keys and garbage."""
    line = " ".join((text or "").split())
    if line.upper().startswith("AGE-SECRET-KEY-") or "PRIVATE KEY" in line:
        # never echo the value back: it is a secret
        raise UsageError(f"{option}: that is a private key; give the public one",
                         hint="age: the `age1...` line printed by `storeops keygen`; "
                              "SSH: the contents of ~/.ssh/id_ed25519.pub")
    if line.startswith("age1"):
        _x25519_recipient(line, option)
        return line
    parts = line.split(" ")
    if parts[0] in SSH_KEY_TYPES and len(parts) >= 2:
        _ssh_recipient(" ".join(parts[:2]), option)
        return line
    if parts[0].startswith(("ssh-", "ecdsa-", "sk-")):
        raise UsageError(f"{option}: {parts[0]} keys are not supported by age",
                         hint="use an ssh-ed25519 or ssh-rsa key, or an age key from `storeops keygen`")
    raise UsageError(f"{option}: not an age recipient (age1...) or an SSH public key (ssh-ed25519 ...)")


def key_kind(key: str | None) -> str | None:
    if not key:
        return None
    return "age" if key.startswith("age1") else key.split(" ", 1)[0]


def recipient(key: str):
    """The pyrage recipient for a normalized public key."""
    if key.startswith("age1"):
        return _x25519_recipient(key, "key")
    return _ssh_recipient(" ".join(key.split(" ")[:2]), "key")


def _x25519_recipient(text: str, option: str):
    from pyrage import RecipientError, x25519

    try:
        return x25519.Recipient.from_str(text)
    except (RecipientError, ValueError):
        raise UsageError(f"{option}: {text[:24]}... is not a valid age recipient",
                         hint="copy the whole `age1...` line printed by `storeops keygen` or `age-keygen -y`") from None


def _ssh_recipient(text: str, option: str):
    from pyrage import RecipientError, ssh

    try:
        return ssh.Recipient.from_str(text)
    except (RecipientError, ValueError):
        raise UsageError(f"{option}: not a valid SSH public key",
                         hint="copy the whole line of ~/.ssh/id_ed25519.pub") from None


# ---- readers ----

def default_readers(project: Project, task: Task | None) -> tuple[str, ...]:
    """Owner, the roles the task names (its role and its approval gate), and the admins."""
    names = [OWNER]
    if task is not None:
        names += [task.role, task.requires_approval]
    names.append("admin")
    return tuple(dict.fromkeys(n for n in names if n))


def secret_default_readers(project: Project) -> tuple[str, ...]:
    return (OWNER, "admin")


def parse_readers(config: Config, text: str | None) -> tuple[str, ...] | None:
    """`finance,alice` → ('finance', 'alice'); each must be a role, a person or `owner`."""
    if text is None:
        return None
    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    if not names:
        raise UsageError("--readers is empty", hint="name roles or people, e.g. --readers finance,alice")
    people = [p.name for p in config.people]
    for name in names:
        if name not in ROLES and name != OWNER and name not in people:
            raise UsageError(f"--readers: {name!r} is neither a role nor a person",
                             hint=did_you_mean(name, [*ROLES, OWNER, *people]) or "roles: " + ", ".join(ROLES))
    return names


def known_readers(config: Config, names: tuple[str, ...]) -> tuple[str, ...]:
    """The reader list without people who have left the team."""
    return tuple(n for n in names if n in ROLES or n == OWNER or config.person(n) is not None)


def reader_people(config: Config, names: tuple[str, ...], owner: str) -> list[Person]:
    """Everyone a reader list covers today (a role means all its holders, `owner` the project's owner)."""
    found: dict[str, Person] = {}
    for name in names:
        if name in ROLES:
            people = config.holders(name)
        else:
            people = [config.person(owner if name == OWNER else name)]
        for person in people:
            if person is not None:
                found.setdefault(person.name, person)
    return list(found.values())


def document_readers(project: Project, task: Task, doc: Document) -> tuple[str, ...]:
    return doc.readers or default_readers(project, task)


def evidence_readers(project: Project, rejection) -> tuple[str, ...]:
    """Rejection evidence has no reader list of its own: those of the rejected task."""
    return default_readers(project, project.task(rejection.task) if rejection.task else None)


def secret_readers(project: Project, secret: dict) -> tuple[str, ...]:
    return tuple(secret.get("readers") or ()) or secret_default_readers(project)


def describe_readers(config: Config, names: tuple[str, ...], owner: str) -> str:
    """'bob (owner), carol (finance), alice (admin)' — who can read, for messages."""
    parts = []
    for person in reader_people(config, names, owner):
        via = [n for n in names if (n in ROLES and n in person.roles) or (n == OWNER and person.name == owner)]
        parts.append(person.name + (f" ({', '.join(via)})" if via and person.name not in names else ""))
    return ", ".join(parts) or "nobody on the team"


@dataclass(frozen=True)
class Recipients:
    keys: tuple[str, ...]
    people: tuple[str, ...]          # readers with a key
    keyless: tuple[str, ...]         # readers who cannot be encrypted to yet


def recipients_for(config: Config, names: tuple[str, ...], owner: str, what: str) -> Recipients:
    people = reader_people(config, names, owner)
    with_key = [p for p in people if p.age]
    if not with_key:
        hint = ("add a key with `storeops person key NAME --age-recipient age1...`" if people
                else "name readers who are on the team")
        raise UsageError(f"cannot encrypt {what}: none of its readers ({describe_readers(config, names, owner)}) "
                         "has a key",
                         hint=hint)
    return Recipients(keys=tuple(dict.fromkeys(p.age for p in with_key)),
                      people=tuple(p.name for p in with_key),
                      keyless=tuple(p.name for p in people if not p.age))


def require_reader(config: Config, person: Person | None, who: str, names: tuple[str, ...], owner: str,
                   what: str) -> None:
    if person is None or person.name not in {p.name for p in reader_people(config, names, owner)}:
        raise NotAReader(f"{person.name if person else who} is not a reader of {what}; "
                         f"readers: {describe_readers(config, names, owner)}",
                         hint="ask one of them, or an admin to add you with --readers")


# ---- ciphertext ----

def is_age(data: bytes) -> bool:
    return data.startswith(AGE_MAGIC) or data.lstrip().startswith(ARMOR_BEGIN.encode())


def encrypt(plaintext: bytes, keys: tuple[str, ...]) -> bytes:
    import pyrage

    return pyrage.encrypt(plaintext, [recipient(k) for k in keys])


def armor(ciphertext: bytes) -> str:
    """age ASCII armor: strict PEM, standard base64 in 64-column lines (age spec, "ASCII armor")."""
    body = base64.b64encode(ciphertext).decode("ascii")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "\n".join([ARMOR_BEGIN, *lines, ARMOR_END]) + "\n"


def dearmor(text: str) -> bytes:
    lines = text.strip().splitlines()
    if len(lines) < 2 or lines[0].strip() != ARMOR_BEGIN or lines[-1].strip() != ARMOR_END:
        raise ValueError("not age armor")
    return base64.b64decode("".join(line.strip() for line in lines[1:-1]), validate=True)


def encrypt_armored(plaintext: bytes, keys: tuple[str, ...]) -> str:
    return armor(encrypt(plaintext, keys))


def decrypt(data: bytes, identities: list, what: str) -> bytes:
    import pyrage

    if data.lstrip().startswith(ARMOR_BEGIN.encode()):
        try:
            data = dearmor(data.decode("ascii"))
        except (ValueError, UnicodeDecodeError):
            raise CannotDecrypt(f"{what} is damaged (broken age armor)") from None
    if not data.startswith(AGE_MAGIC):
        raise CannotDecrypt(f"{what} is not an age file")
    try:
        return pyrage.decrypt(data, identities)
    except pyrage.DecryptError as error:
        if "No matching keys" in str(error):
            raise CannotDecrypt(f"your identity cannot decrypt {what}",
                                hint="it was encrypted before your key was added, or to another key: "
                                     "ask a reader to run `storeops rekey`") from None
        # the key matched, so the bytes are what is wrong (pyrage says "decryption error", "failed to fill
        # whole buffer", ...: true, but not what a user can act on)
        raise CannotDecrypt(f"{what} is damaged: cut short or altered since it was encrypted ({error})",
                            hint="restore it from git history (git log -- FILE, git checkout COMMIT -- FILE), "
                                 "or attach or set it again") from None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- masking ----

def hint_for(value: str) -> str:
    """What displays show instead of a secret.

    Only the last four digits of a long number-like value (the ****1234 of ID
    and account numbers); anything else, or anything short, is fully masked.
    """
    compact = re.sub(r"[\s-]", "", value)
    if len(compact) >= 10 and compact[-4:].isdigit():
        return "****" + compact[-4:]
    return "****"


# ---- identities ----

def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "storeops"


def default_identity_path() -> Path:
    return config_dir() / IDENTITY_FILE


def identity_candidates() -> list[Path]:
    ssh = Path.home() / ".ssh"
    return [default_identity_path(), ssh / "id_ed25519", ssh / "id_rsa"]


def find_identity_path() -> Path | None:
    """STOREOPS_IDENTITY, else the config dir's identity.txt, else an SSH key in ~/.ssh."""
    chosen = os.environ.get("STOREOPS_IDENTITY")
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise EnvError(f"STOREOPS_IDENTITY={chosen}: no such file",
                           hint="point it at your age identity or SSH private key, or unset it")
        return path
    return next((p for p in identity_candidates() if p.is_file()), None)


def load_identities(path: Path | None = None) -> list:
    """The private keys in an age identity file or an SSH private key."""
    from pyrage import IdentityError, ssh, x25519

    path = path or find_identity_path()
    if path is None:
        raise EnvError("no identity to decrypt with",
                       hint=f"run `storeops keygen` (writes {default_identity_path()}) or set STOREOPS_IDENTITY")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise EnvError(f"{path}: cannot read the identity ({error.strerror})") from None
    if b"PRIVATE KEY-----" in raw:
        try:
            return [ssh.Identity.from_buffer(raw)]
        except IdentityError as error:
            if "decrypted" in str(error) or "passphrase" in str(error).lower():
                raise EnvError(f"{path}: the SSH key is protected by a passphrase, which storeops cannot ask for",
                               hint="use an age identity (`storeops keygen`) or point STOREOPS_IDENTITY "
                                    "at a key without a passphrase") from None
            raise EnvError(f"{path}: not a usable SSH private key ({error})") from None
    identities = []
    for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith("AGE-SECRET-KEY-1"):
            raise EnvError(f"{path}:{number}: not an age identity line",
                           hint="an identity file holds AGE-SECRET-KEY-1... lines (see `storeops keygen`)")
        try:
            identities.append(x25519.Identity.from_str(line))
        except (IdentityError, ValueError):
            raise EnvError(f"{path}:{number}: a damaged age identity") from None
    if not identities:
        raise EnvError(f"{path}: holds no identity", hint="run `storeops keygen --output PATH` for a new one")
    return identities


def public_keys(identities: list) -> list[str]:
    """The age recipients of x25519 identities (SSH identities do not tell theirs)."""
    return [str(i.to_public()) for i in identities if hasattr(i, "to_public")]


def identity_of(recipient: str, candidates: list[Path]) -> Path | None:
    """The first of `candidates` (files, or folders of *.txt) holding the identity of an age `recipient`."""
    for candidate in candidates:
        try:
            files = identity_files(candidate)
        except EnvError:
            continue
        for path in files:
            try:
                if recipient in public_keys(load_identities(path)):
                    return path
            except EnvError:
                continue
    return None


def identity_files(path: Path) -> list[Path]:
    """An identity file, or every *.txt identity file in a folder (a folder of old keys)."""
    if path.is_dir():
        found = sorted(p for p in path.glob("*.txt") if p.is_file())
        if not found:
            raise EnvError(f"{path}: a folder without identity files (*.txt)")
        return found
    if not path.is_file():
        raise EnvError(f"{path}: no such identity file")
    return [path]


class Keyring:
    """The identities of this user, loaded once and only when first needed.

    `extra` are more identity files (or folders of them) to try besides the
    usual one, e.g. the old key and the new one while rekeying.
    """

    def __init__(self, path: Path | None = None, extra: tuple[Path, ...] | list[Path] = ()):
        self._path = path
        self._extra = [f for p in extra for f in identity_files(Path(p).expanduser())]
        self._identities: list | None = None
        self._error: EnvError | None = None

    @property
    def identities(self) -> list:
        if self._error is not None:
            raise self._error
        if self._identities is None:
            try:
                found: list = []
                try:
                    found += load_identities(self._path)
                except EnvError:
                    if not self._extra or (self._path is None and os.environ.get("STOREOPS_IDENTITY")):
                        raise
                for path in self._extra:
                    found += load_identities(path)
                self._identities = found
            except EnvError as error:
                self._error = error
                raise
        return self._identities

    def available(self) -> bool:
        try:
            return bool(self.identities)
        except EnvError:
            return False


def keygen(path: Path | None, force: bool) -> tuple[Path, str]:
    """Write a new age identity (mode 0600) and return (path, public recipient)."""
    from datetime import datetime, timezone

    from pyrage import x25519

    path = (path or default_identity_path()).expanduser()
    if path.exists() and not force:
        hint = "pass --force to replace it (you lose access to what was encrypted to it)"
        try:
            keys = public_keys(load_identities(path))
            hint = f"its public key is {keys[0]}; " + hint if keys else hint
        except EnvError:
            pass
        raise UsageError(f"{path} already exists", hint=hint)
    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    created = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    text = f"# created: {created}\n# public key: {public}\n{identity}\n"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if someone created it meanwhile: never overwrite by accident
    except FileExistsError:
        raise UsageError(f"{path} already exists", hint="pass --force to replace it") from None
    except OSError as error:
        raise EnvError(f"{path}: cannot write the identity ({error.strerror})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return path, public
