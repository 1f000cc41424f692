"""A non-editable install (the wheel, in a fresh venv) finds its schemas and SOPs."""

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(ROOT)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    [wheel] = work.glob("storeops-*.whl")
    env_dir = work / "venv"
    # system site-packages provide the dependencies; storeops itself comes from the wheel
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                              str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    return wheel, env_dir


def test_wheel_contains_schemas_and_sops(installed):
    import zipfile

    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "storeops/schemas/project.schema.json" in names
    assert "storeops/schemas/sop.schema.json" in names
    assert sum(1 for n in names if n.startswith("storeops/sop/") and n.endswith(".yaml")) >= 11
    assert any(n.startswith("storeops/sop/templates/") for n in names)


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
