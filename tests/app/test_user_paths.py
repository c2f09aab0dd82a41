"""Per-user folders: settings and data go to the user's own places, never beside the program."""

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from playground.app.user_paths import data_dir, identify_application, settings_location

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def identified(qapp, monkeypatch, tmp_path):
    """The application named as main() names it, data in a temporary home; names restored."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    before = (qapp.organizationName(), qapp.organizationDomain(), qapp.applicationName(),
              qapp.desktopFileName())
    identify_application(qapp)
    yield qapp
    qapp.setOrganizationName(before[0])
    qapp.setOrganizationDomain(before[1])
    qapp.setApplicationName(before[2])
    qapp.setDesktopFileName(before[3])


def test_the_application_is_named_after_its_command_and_desktop_entry(identified):
    assert identified.organizationName() == "neural-playground"
    assert identified.applicationName() == "neural-playground"
    assert QApplication.desktopFileName() == "neural-playground"  # Wayland: icon and name


def test_data_folder_is_the_users_own_and_made_on_demand(identified, tmp_path):
    expected = tmp_path / "share" / "neural-playground" / "neural-playground"
    assert data_dir(create=False) == expected
    assert not expected.exists()
    assert data_dir() == expected
    assert expected.is_dir()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux file layout")
def test_settings_go_to_a_file_in_the_users_config_folder(identified):
    QSettings.setDefaultFormat(QSettings.Format.NativeFormat)  # the app's, not the tests' own
    location = Path(settings_location())
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    assert location.parts[-2:] == ("neural-playground", "neural-playground.conf")
    assert not location.is_relative_to(ROOT)
    assert not location.is_relative_to(Path(sys.prefix))
