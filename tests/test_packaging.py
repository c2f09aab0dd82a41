"""Packaging recipes: entry points, menu entry, MIME type, .deb control, icons, and the script
that smoke-tests the built installers (it must fail when a bundle cannot start)."""

import configparser
import os
import shutil
import stat
import struct
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from importlib import metadata
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "assets" / "icons"
NAME = "neural-playground"
MIME = "application/x-neural-playground"


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_pip_installs_the_neural_playground_command_beside_playground():
    scripts = _pyproject()["project"]["gui-scripts"]
    assert scripts[NAME] == scripts["playground"] == "playground.app.main:main"
    installed = {ep.name: ep.value for ep in metadata.entry_points(group="gui_scripts")}
    assert installed.get(NAME) == "playground.app.main:main"


def test_packaging_tools_are_an_extra_and_resources_ship_in_the_wheel():
    project = _pyproject()
    extra = " ".join(project["project"]["optional-dependencies"]["package"])
    assert "pyinstaller" in extra and "build" in extra
    assert "app/resources/*" in project["tool"]["setuptools"]["package-data"]["playground"]
    assert (ROOT / "playground" / "app" / "resources" / f"{NAME}.svg").is_file()


def test_menu_entry_runs_the_command_with_the_icon_and_claims_project_files():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(PACKAGING / f"{NAME}.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"] == f"{NAME} %f"
    assert desktop["Icon"] == NAME
    assert desktop["MimeType"] == f"{MIME};"
    assert desktop["Terminal"] == "false"


def test_mime_type_matches_nplay_files():
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    tree = ET.parse(PACKAGING / "deb" / f"{NAME}.xml")
    kind = tree.getroot().find("m:mime-type", ns)
    assert kind.get("type") == MIME
    assert [g.get("pattern") for g in kind.findall("m:glob", ns)] == ["*.nplay"]


def test_deb_depends_on_c_libraries_only():
    control = (PACKAGING / "deb" / "control").read_text(encoding="utf-8")
    depends = control.split("Depends:", 1)[1].split("\nRecommends:", 1)[0]
    assert "python" not in depends.lower()
    for library in ("libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3",
                    "libglib2.0-0", "libxcb-cursor0", "libxkbcommon-x11-0"):
        assert library in depends


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_menu_icons_exist_in_every_size(size):
    path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"
    assert _png_size(path) == (size, size)


def test_windows_icon_holds_every_size_up_to_256():
    data = (ICONS / f"{NAME}.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = [data[6 + 16 * i] or 256 for i in range(count)]
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_macos_icon_is_a_complete_icns():
    data = (ICONS / f"{NAME}.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    kinds, at = [], 8
    while at < len(data):
        kinds.append(data[at:at + 4])
        at += struct.unpack(">I", data[at + 4:at + 8])[0]
    assert at == len(data)
    assert {b"ic07", b"ic08", b"ic09", b"ic10"} <= set(kinds)  # 128-1024 px


# ---------------------------------------------------------------- smoke-test script

needs_dpkg = pytest.mark.skipif(shutil.which("dpkg-deb") is None or os.name != "posix",
                                reason="needs bash and dpkg-deb")


def _fake_dist(folder: Path, program: str) -> Path:
    """A dist/ like `make package` leaves, whose app is ``program`` (a bash script)."""
    dist = folder / "dist"
    bundle = dist / NAME
    bundle.mkdir(parents=True)
    exe = bundle / NAME
    exe.write_text("#!/usr/bin/env bash\n" + program, encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    with tarfile.open(dist / f"{NAME}-9.9-linux-x86_64.tar.gz", "w:gz") as tar:
        tar.add(bundle, arcname=f"{NAME}-9.9")
    subprocess.run(["bash", str(PACKAGING / "deb" / "build-deb.sh"), str(bundle), "9.9",
                    str(dist)], check=True, capture_output=True, timeout=120)
    return dist


def _smoke(dist: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(PACKAGING / "smoke-test.sh"), str(dist)],
                          capture_output=True, text=True, timeout=120)


@needs_dpkg
def test_smoke_script_passes_a_bundle_that_says_smoke_ok(tmp_path):
    done = _smoke(_fake_dist(tmp_path, 'echo "SMOKE OK: fake"\n'))
    assert done.returncode == 0, done.stderr
    assert [line.split()[1] for line in done.stdout.splitlines()[:3]] == [
        "bundle", "tar.gz", ".deb"]
    assert done.stdout.splitlines()[-1] == "smoke-test: 3 passed, 0 failed"


@needs_dpkg
def test_smoke_script_fails_a_bundle_that_cannot_start(tmp_path):
    done = _smoke(_fake_dist(tmp_path, 'echo "no Qt platform plugin" >&2; exit 134\n'))
    assert done.returncode != 0
    assert "FAILED: bundle: exit status 134" in done.stderr
    assert "no Qt platform plugin" in done.stderr


@needs_dpkg
def test_smoke_script_fails_an_app_that_writes_beside_itself(tmp_path):
    program = 'touch "$(dirname "$0")/settings.ini"; echo "SMOKE OK: fake"\n'
    done = _smoke(_fake_dist(tmp_path, program))
    assert done.returncode != 0
    assert "the app wrote into" in done.stderr


@needs_dpkg
def test_the_deb_installs_the_command_menu_entry_icons_and_mime_type(tmp_path):
    dist = _fake_dist(tmp_path, 'echo "SMOKE OK: fake"\n')
    deb = next(dist.glob(f"{NAME}_9.9_*.deb"))
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    assert os.readlink(root / "usr" / "bin" / NAME) == f"/opt/{NAME}/{NAME}"
    assert (root / "opt" / NAME / NAME).is_file()
    share = root / "usr" / "share"
    for path in (f"applications/{NAME}.desktop", f"mime/packages/{NAME}.xml",
                 f"icons/hicolor/48x48/apps/{NAME}.png", f"icons/hicolor/scalable/apps/{NAME}.svg",
                 f"doc/{NAME}/copyright"):
        assert (share / path).is_file(), path
    fields = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Version", "Depends"],
                            check=True, capture_output=True, text=True).stdout
    assert f"Package: {NAME}" in fields and "Version: 9.9" in fields
    assert "python" not in fields.lower()
