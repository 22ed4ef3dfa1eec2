import pytest
from PySide6.QtCore import QCoreApplication, QSettings


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    """Every UI test gets its own empty QSettings store."""
    QCoreApplication.setOrganizationName("disagg-viz-tests")
    QCoreApplication.setApplicationName("disagg-viz-tests")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path))
    yield
