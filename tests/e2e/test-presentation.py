#!/usr/bin/python3
"""test-presentation.py: as a person would: on each of the six pages press F11: the header bar and
the sidebar go (presentation mode), the window stays within the screen (a small projector's
1024x600: tests/meson.build runs it there), a screenshot is taken; Escape brings them back. On Batch Norm the arrow keys then step the demo. Run under run-headless.sh
(Xvfb + a private D-Bus session); NS_GUI names the built app.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import os
import subprocess
import sys
import time

from dogtail import rawinput

from e2e_utils import click, find, open_from_menu, run_app, wait_for

IRIS = os.path.join(os.environ["NS_SOURCE_ROOT"], "data", "iris.csv")
PAGES = ("Compare", "Overview", "All Scalers", "Export", "Batch Norm", "Axis Explorer")


def header_shown(app):
    """GTK 4.8 takes hidden widgets out of the accessible tree."""
    return find(app, lambda n: n.name == "Header bar") is not None


def screenshot(name):
    if os.environ.get("NS_BUILD_ROOT"):
        subprocess.run(["import", "-window", "root",
                        os.path.join(os.environ["NS_BUILD_ROOT"], "meson-logs", name)], check=False)


def screen_width():
    """The X root window's width (xwininfo -root)."""
    info = subprocess.run(["xwininfo", "-root"], capture_output=True, text=True, check=True).stdout
    return int(next(line.split(":")[1] for line in info.splitlines()
                    if line.strip().startswith("Width:")))


def page_tab(app, title):
    return wait_for(f"the {title} page tab", lambda: find(
        app, lambda n: n.name == title and n.roleName == "page tab"))


def run(app):
    wait_for("the header bar", lambda: header_shown(app))
    wait_for("the data", lambda: find(app, lambda n: n.roleName == "label"
                                      and n.name == "iris.csv"))
    for title in PAGES:
        click(page_tab(app, title))
        time.sleep(0.5)
        rawinput.pressKey("F11")
        wait_for(f"F11 to hide the header bar on {title}", lambda: not header_shown(app))
        time.sleep(0.8)
        frame = next(w for w in app.children if w.roleName in ("frame", "window"))
        if frame.size[0] > screen_width():
            sys.exit(f"FAIL: presentation mode on {title}: the window is {frame.size[0]} px wide, "
                     f"the screen {screen_width()} px")
        screenshot("e2e-presentation-" + title.lower().replace(" ", "") + ".png")
        rawinput.pressKey("Escape")
        wait_for(f"Escape to bring the header bar back on {title}", lambda: header_shown(app))
        print(f"ok: F11 and Escape on {title}")

    open_from_menu(app, "Demos", "Momentum: fast or smooth")
    wait_for("the demo banner", lambda: find(
        app, lambda n: n.roleName == "label" and n.name == "Momentum: fast or smooth"))

    def step_text():
        label = find(app, lambda n: n.roleName == "label" and n.name.startswith(("step ", "all ")))
        return label.name if label else ""

    time.sleep(1.0)
    rawinput.pressKey("F11")
    wait_for("presentation mode on the demo", lambda: not header_shown(app))
    rawinput.pressKey("Right")
    first = wait_for("a step after Right", lambda: step_text().startswith("step ") and step_text())
    rawinput.pressKey("Right")
    second = wait_for("the next step", lambda: step_text() != first and step_text())
    if int(second.split()[1]) != int(first.split()[1]) + 1:
        sys.exit(f"FAIL: Right did not advance one batch: {first!r} -> {second!r}")
    rawinput.pressKey("Left")
    back = wait_for("the step back", lambda: step_text() != second and step_text())
    if back.split()[1] != first.split()[1]:
        sys.exit(f"FAIL: Left did not go back one batch: {second!r} -> {back!r}")
    print(f"ok: arrow keys step the demo while presenting: {first} -> {second} -> {back}")
    screenshot("e2e-presentation-demo.png")
    rawinput.pressKey("Escape")
    wait_for("Escape to leave presentation mode", lambda: header_shown(app))


if __name__ == "__main__":
    run_app(run, "e2e-presentation.png", args=(IRIS,))
