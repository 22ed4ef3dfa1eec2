from disagg_viz.ui.platform_check import XCB_LIBS, advice, missing_libraries, uses_xcb


def test_only_an_x11_session_on_linux_is_checked():
    assert uses_xcb({"DISPLAY": ":0"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not uses_xcb({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, "linux")
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0"}, "darwin")


def test_missing_libraries_are_named_with_the_commands_that_install_them():
    gone = {"xcb-icccm", "xcb-keysyms"}
    missing = missing_libraries(lambda lib: None if lib in gone else f"lib{lib}.so")
    assert missing == ["xcb-icccm", "xcb-keysyms"]
    text = advice(missing)
    assert "libxcb-icccm" in text and "sudo apt install libxcb-icccm4 libxcb-keysyms1" in text
    assert "sudo dnf install xcb-util-keysyms xcb-util-wm" in text and "xcb-cursor" not in text.split("\n")[0]
    assert set(XCB_LIBS) >= gone
