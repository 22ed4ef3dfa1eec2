import pytest
from PySide6.QtCore import QCoreApplication, QSettings


@pytest.fixture(scope="session", autouse=True)
def tuned_like_the_app(qapp):
    """The interpreter settings run_app makes (switch interval, frozen start-up objects), so the
    responsiveness tests measure what users get."""
    from disagg_viz.ui.interpreter import tune_for_gui
    tune_for_gui()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    """Every UI test gets its own empty QSettings store."""
    QCoreApplication.setOrganizationName("disagg-viz-tests")
    QCoreApplication.setApplicationName("disagg-viz-tests")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path))
    yield


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    """A test that fails before closing its window must not hang the run on the unsaved-changes
    question when pytest-qt closes the window afterwards. pytest-qt closes the windows in its own
    teardown wrapper, before any fixture is torn down, so this runs as an outer wrapper."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from disagg_viz.ui.main_window import MainWindow
    for w in QApplication.topLevelWidgets():
        if isinstance(w, MainWindow):
            w.files.ask_unsaved = lambda: QMessageBox.Discard
    return (yield)
