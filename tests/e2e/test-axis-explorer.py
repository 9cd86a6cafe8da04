#!/usr/bin/python3
"""test-axis-explorer.py: as a person would: open the axis explorer demo from the main menu; the page
shows the digits images as a (1797, 4, 4, 4) tensor, and picking 1 group in the Groups list is
computed and shown without an error. Run under run-headless.sh; NS_GUI names the built app;
NS_SCREENSHOT (optional) names the screenshot, else it goes to the build's meson-logs.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import os
import sys
import time

from dogtail import rawinput

from e2e_utils import click, find, open_from_menu, run_app, wait_for

DEMO_LABEL = "Demo: digits images as digits.csv (1797, 4, 4, 4)"


def run(app):
    open_from_menu(app, "Demos", "Axis Explorer: Batch Norm vs Group Norm")
    wait_for("the demo tensor named on the page", lambda: find(
        app, lambda n: n.roleName == "label" and n.name == DEMO_LABEL))
    print("ok: the demo tensor is loaded and named")
    groups = wait_for("the Groups list", lambda: find(app, lambda n: n.name == "Groups"))
    click(groups)
    # The list's rows are labels in a popover with no accessible action: the keyboard picks one.
    wait_for("the 1-group item", lambda: find(app, lambda n: n.name == "1 (4 channels each)"))
    time.sleep(0.5)
    rawinput.pressKey("Up")
    rawinput.pressKey("Return")
    figure = wait_for("the figure computed with 1 group", lambda: find(
        app, lambda n: n.name.startswith("Axis explorer figure, group norm with G = 1:")))
    if "group norm 0 and 0" not in figure.name:
        sys.exit(f"FAIL: group norm's output moves with the batch size: {figure.name}")
    print(f"ok: 1 group picked and computed ({figure.name})")


if __name__ == "__main__":
    screenshot = os.environ.get("NS_SCREENSHOT")
    run_app(run, screenshot if screenshot else "e2e-axis-explorer.png")
    sys.exit(0)
