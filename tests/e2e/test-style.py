#!/usr/bin/python3
"""test-style.py: as a person would: open iris, choose Style → Dark in the main menu: the window
turns dark (the screen's mean brightness, measured by ImageMagick, drops below 0.35); Style → Light
brings it back above 0.65. Run under run-headless.sh (Xvfb + a private D-Bus session); NS_GUI
names the built app.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import os
import subprocess
import sys
import tempfile
import time

from e2e_utils import find, open_from_menu, run_app, wait_for

IRIS = os.path.join(os.environ["NS_SOURCE_ROOT"], "data", "iris.csv")


def brightness():
    """The mean grey level of the whole screen, in [0, 1]."""
    with tempfile.NamedTemporaryFile(suffix=".png") as shot:
        subprocess.run(["import", "-window", "root", shot.name], check=True)
        out = subprocess.run(["convert", shot.name, "-colorspace", "Gray", "-format",
                              "%[fx:mean]", "info:"], check=True, capture_output=True, text=True)
    return float(out.stdout)


def settles(what, test):
    """Waits for the redraw: the brightness must pass test within the timeout."""
    def check():
        time.sleep(0.5)
        value = brightness()
        print(f"  brightness {value:.2f}")
        return test(value)
    wait_for(what, check, timeout=15)


def run(app):
    wait_for("the data", lambda: find(app, lambda n: n.roleName == "label"
                                      and n.name == "iris.csv"))
    settles("a light window at start", lambda b: b > 0.65)
    open_from_menu(app, "Style", "Dark")
    settles("the window to turn dark", lambda b: b < 0.35)
    print(f"ok: Style → Dark: mean brightness {brightness():.2f}")
    open_from_menu(app, "Style", "Light")
    settles("the window to turn light again", lambda b: b > 0.65)
    print(f"ok: Style → Light: mean brightness {brightness():.2f}")


if __name__ == "__main__":
    run_app(run, "e2e-style.png", args=(IRIS,))
