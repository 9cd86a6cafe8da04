#!/usr/bin/python3
"""test-keyboard.py: as a person would: open a sample and then a demo from the main menu and, with
no click in between, press Ctrl+O: the file dialog opens (the keyboard still reaches the window);
F11 then switches the demo's presentation mode on.
The open file's name is shown in the window. Run under run-headless.sh; NS_GUI names the built app.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import sys
import time

import pyatspi
from dogtail import rawinput

from e2e_utils import find, open_from_menu, run_app, wait_for


def dialog_open(app):
    """The file chooser: a top-level window of the app (role "filler" on GTK 4.8)."""
    return any(window.name == "Open a Dataset" for window in app.children)


def ctrl_o_opens_the_dialog(app, after):
    time.sleep(1.0)
    rawinput.keyCombo("<Control>o")
    wait_for(f"the file dialog after Ctrl+O ({after})", lambda: dialog_open(app))
    rawinput.pressKey("Escape")
    wait_for("the file dialog to close", lambda: not dialog_open(app))
    print(f"ok: Ctrl+O opens the file dialog after {after}, with no click")


def run(app):
    open_from_menu(app, "Sample Datasets", "Wine")
    wait_for("the file name in the window", lambda: find(
        app, lambda n: n.roleName == "label" and n.name == "wine.csv"))
    print("ok: wine.csv named in the window")
    ctrl_o_opens_the_dialog(app, "opening a sample from the menu")
    open_from_menu(app, "Demos", "Momentum: fast or smooth")
    wait_for("the demo banner", lambda: find(
        app, lambda n: n.roleName == "label" and n.name == "Momentum: fast or smooth"))
    ctrl_o_opens_the_dialog(app, "opening a demo from the menu")
    presentation = find(app, lambda n: n.name.endswith("Presentation mode")
                        and n.roleName in ("push button", "toggle button"))
    rawinput.pressKey("F11")
    wait_for("F11 to switch presentation mode on", lambda: presentation.getState().contains(
        pyatspi.STATE_PRESSED) or presentation.getState().contains(pyatspi.STATE_CHECKED))
    rawinput.pressKey("F11")
    print("ok: F11 switches presentation mode on after the demo, with no click")


if __name__ == "__main__":
    run_app(run, "e2e-keyboard.png")
    sys.exit(0)
