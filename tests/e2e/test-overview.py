#!/usr/bin/python3
"""test-overview.py: as a person would: open the 64-feature digits data, switch to the Overview
page, find the last feature, and read the notes the grid shows (computed by core). Run under
run-headless.sh (Xvfb + a private D-Bus session); NS_GUI names the built app.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import os
import sys

from e2e_utils import click, find, run_app, wait_for

DIGITS = os.path.join(os.environ["NS_SOURCE_ROOT"], "data", "digits.csv")


def labels(app, predicate):
    return app.findChildren(lambda n: n.roleName == "label" and predicate(n.name or ""))


def run(app):
    print("ok: app on the a11y bus")
    wait_for("the data", lambda: find(app, lambda n: n.roleName == "label" and n.name == "px_0_0"))
    page = wait_for("the Overview page button", lambda: find(
        app, lambda n: n.name == "Overview" and n.roleName == "page tab"))
    click(page)
    # The last feature's row: every one of the 64 is in the grid, not only the first screen.
    wait_for("the last feature's row", lambda: find(
        app, lambda n: n.roleName == "label" and n.name == "px_7_7"))
    shapes = labels(app, lambda t: (t.startswith("skewness ") and "beyond 1.5 IQR" in t)
                    or t.startswith("constant: every value is "))
    # 64 pixels and the integer "digit" column, a feature until the user excludes it.
    if len(shapes) != 65:
        sys.exit(f"FAIL: {len(shapes)} feature shapes, expected 65")
    squeezes = labels(app, lambda t: "min-max squeezes the rest into [" in t)
    if not squeezes:
        sys.exit("FAIL: no min-max note about outliers")
    print(f"ok: 65 feature rows; e.g. {shapes[0].name!r}; {squeezes[0].name!r}")
    headers = app.findChildren(lambda n: n.roleName == "label" and n.name in
                               ("standard (scikit-learn)", "min-max", "robust"))
    if len(headers) < 3:
        sys.exit("FAIL: the chosen strategies' column headers are missing")
    print("ok: columns for standard, min-max and robust")


if __name__ == "__main__":
    run_app(run, "e2e-overview.png", args=(DIGITS,))
