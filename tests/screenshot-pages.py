#!/usr/bin/python3
"""screenshot-pages.py FILE OUT_PREFIX: the Overview page, presentation mode on every page, and
Compare's Strategies popover, for tests/screenshots.sh (run inside its Xvfb + D-Bus session; NS_GUI
names the app).

SPDX-License-Identifier: GPL-3.0-or-later
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "e2e"))
from dogtail import rawinput  # noqa: E402

from e2e_utils import click, find, run_app, wait_for  # noqa: E402

DATA, PREFIX = sys.argv[1], sys.argv[2]
PAGES = ("Compare", "Overview", "All Scalers", "Export", "Batch Norm", "Axis Explorer")


def shot(name):
    time.sleep(1.5)
    subprocess.run(["import", "-window", "root", f"{PREFIX}{name}.png"], check=True)


def page(app, title):
    click(wait_for(f"the {title} tab", lambda: find(
        app, lambda n: n.name == title and n.roleName == "page tab")))


def run(app):
    wait_for("the data", lambda: find(app, lambda n: n.roleName == "label"
                                      and n.name == os.path.basename(DATA)))
    page(app, "Overview")
    wait_for("the overview grid", lambda: find(
        app, lambda n: n.roleName == "label" and "beyond 1.5 IQR" in (n.name or "")))
    shot("overview")
    page(app, "Compare")
    strategies = wait_for("the Strategies button", lambda: find(
        app, lambda n: n.name == "Strategies" and n.roleName == "push button"))
    click(strategies)
    shot("compare-strategies")
    click(strategies)
    for title in PAGES:
        page(app, title)
        rawinput.absoluteMotion(400, 400)  # off the top edge, where the header bar would show
        rawinput.pressKey("F11")
        shot(title.lower().replace(" ", "-") + "-presentation")
        rawinput.pressKey("Escape")


if __name__ == "__main__":
    run_app(run, "screenshot-pages.png", args=(DATA,))
