"""A non-editable install (the wheel, in a fresh venv) finds its schemas and SOPs."""

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def throwaway_venv(env_dir: Path) -> Path:
    """A venv for storeops alone; returns its python.

    Not the system site packages: from inside a venv they are the *base* interpreter's site-packages, which
    on a fresh machine has no typer. The dependencies come from this test run's own environment, named
    explicitly by a .pth file; storeops itself is installed into the venv (its own site-packages is earlier
    on sys.path, and the .pth files of the outer one, such as the editable install's, are not run).
    """
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    inner = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           capture_output=True, text=True, check=True).stdout.strip()
    outer = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (Path(inner) / "outer-dependencies.pth").write_text("".join(f"{path}\n" for path in outer))
    return python


def pip_install(python: Path, *args: str, env: dict | None = None) -> None:
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                              "--ignore-installed", "-q", *args], capture_output=True, text=True, env=env)
    assert install.returncode == 0, install.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(ROOT)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    [wheel] = work.glob("storeops-*.whl")
    env_dir = work / "venv"
    # by name from a folder of wheels, as from a package index: pip records no direct URL
    # (--ignore-installed: the outer editable storeops is visible through the .pth)
    pip_install(throwaway_venv(env_dir), "--no-index", "--find-links", str(work), "storeops")
    return wheel, env_dir


def test_wheel_contains_schemas_and_sops(installed):
    import zipfile

    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "storeops/schemas/project.schema.json" in names
    assert "storeops/schemas/sop.schema.json" in names
    assert sum(1 for n in names if n.startswith("storeops/sop/") and n.endswith(".yaml")) >= 11
    assert any(n.startswith("storeops/sop/templates/") for n in names)
    assert "storeops/examples/stores/storeops.yaml" in names
    assert sum(1 for n in names if n.startswith("storeops/examples/stores/projects/")) == 8


def test_installed_package_finds_its_data_outside_the_checkout(installed, tmp_path):
    _, env_dir = installed
    where = subprocess.run([str(env_dir / "bin" / "python"), "-c", "import storeops; print(storeops.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert str(env_dir) in where.stdout
    result = subprocess.run([str(env_dir / "bin" / "storeops"), "sop", "list", "--json"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    sops = json.loads(result.stdout)["sops"]
    assert len(sops) >= 11 and all(s["origin"] == "built-in" for s in sops)
    stores = tmp_path / "stores"
    assert subprocess.run([str(env_dir / "bin" / "storeops"), "init", str(stores)], capture_output=True).returncode == 0
    made = subprocess.run([str(env_dir / "bin" / "storeops"), "-C", str(stores), "new", "amazon-us", "--store", "S",
                           "--owner", "alice"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    checked = subprocess.run([str(env_dir / "bin" / "storeops"), "-C", str(stores), "check"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    demo = tmp_path / "demo"  # the example comes from examples/stores, carried inside the wheel
    built = subprocess.run([str(env_dir / "bin" / "storeops"), "init", "--example", str(demo)], capture_output=True,
                           text=True)
    assert built.returncode == 0, built.stderr
    assert len(list((demo / "projects").glob("*.yaml"))) == 8


def _pipx(work: Path) -> list[str]:
    """A pipx to run: the one on PATH, else one installed into a throwaway venv (needs PyPI)."""
    import shutil

    found = shutil.which("pipx")
    if found:
        return [found]
    tool = work / "pipx-tool"
    venv.EnvBuilder(with_pip=True).create(tool)
    got = subprocess.run([str(tool / "bin" / "python"), "-m", "pip", "install", "-q", "pipx"],
                         capture_output=True, text=True)
    if got.returncode != 0:
        pytest.skip("pipx is not installed and cannot be fetched: " + got.stderr[-300:])
    return [str(tool / "bin" / "python"), "-m", "pipx"]


@pytest.mark.slow
def test_pipx_install_gives_a_working_storeops(tmp_path):
    """README: `pipx install .` — in a throwaway PIPX_HOME, with nothing of the checkout on the path."""
    from storeops import __version__

    env = {k: v for k, v in __import__("os").environ.items() if k != "PYTHONPATH"}
    env.update(PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(tmp_path / "bin"),
               PIPX_MAN_DIR=str(tmp_path / "man"))
    installed = subprocess.run([*_pipx(tmp_path), "install", str(ROOT)], capture_output=True, text=True, env=env,
                               cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    storeops = str(tmp_path / "bin" / "storeops")

    def run(*args):
        return subprocess.run([storeops, *args], capture_output=True, text=True, env=env, cwd=tmp_path)

    assert run("--version").stdout == f"storeops {__version__}\n"
    assert run("schema", "path", "project").stdout.startswith(str(tmp_path / "pipx"))
    made = run("init", "--example", "demo")
    assert made.returncode == 0, made.stderr
    status = run("-C", "demo", "status")
    assert status.returncode == 0, status.stderr
    assert "acme-amazon-us" in status.stdout


# ---- what `forge` makes of the metadata pip really wrote (PEP 610 direct_url.json) ----

def forge_in(python: Path, stores: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-m", "storeops", "-C", str(stores), "forge", "github"],
                          capture_output=True, text=True, env=env)


def test_installed_from_an_index_ci_pins_the_version(installed, stores):
    from storeops import __version__

    _, env_dir = installed
    made = forge_in(env_dir / "bin" / "python", stores)
    assert made.returncode == 0, made.stderr
    assert f"          pip install storeops=={__version__}\n" in (stores / ".github/workflows/storeops.yml").read_text()


def test_installed_from_a_wheel_file_ci_cannot_repeat_it(installed, stores, tmp_path):
    wheel, _ = installed
    python = throwaway_venv(tmp_path / "venv")
    pip_install(python, str(wheel))
    refused = forge_in(python, stores)
    assert refused.returncode == 2 and "storeops was installed from a local path (file://" in refused.stderr
    assert "--install SPEC" in refused.stderr and not (stores / ".github").exists()


@pytest.mark.slow
def test_installed_from_git_ci_pins_the_url_and_commit(stores, tmp_path):
    """pip installs from a git URL (rewritten to a local snapshot by git's insteadOf: no network for git)."""
    from conftest import snapshot_of_this_checkout

    source, sha = snapshot_of_this_checkout(tmp_path)
    url = "https://git.example.invalid/acme/storeops"
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text(f'[url "file://{source}"]\n\tinsteadOf = {url}\n')
    python = throwaway_venv(tmp_path / "venv")
    pip_install(python, f"storeops @ git+{url}@{sha}", env={**__import__("os").environ,
                                                            "GIT_CONFIG_GLOBAL": str(gitconfig)})
    made = forge_in(python, stores)
    assert made.returncode == 0, made.stderr
    assert f"          pip install 'storeops @ git+{url}@{sha}'\n" in (
        stores / ".github/workflows/storeops.yml").read_text()
