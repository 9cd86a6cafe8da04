#!/usr/bin/python3
"""test-apply.py: as a person would: open iris, press Ctrl+T (Apply to Another File), type the path
of a test file that lacks two of iris's columns into the file chooser; an error banner names them
and the test file's mean and std appear beside the training file's; Clear Test File removes it.
Run under run-headless.sh (Xvfb + a private D-Bus session); NS_GUI names the built app.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import os
import sys
import tempfile
import time

from dogtail import rawinput

from e2e_utils import click, find, run_app, wait_for

IRIS = os.path.join(os.environ["NS_SOURCE_ROOT"], "data", "iris.csv")


def label_with(app, text):
    return find(app, lambda n: n.roleName == "label" and text in (n.name or ""))


def run(app):
    out = tempfile.mkdtemp(prefix="ns-e2e-apply-")
    test_file = os.path.join(out, "partial.csv")
    with open(test_file, "w") as f:
        f.write("sepal_length_cm,sepal_width_cm\n5,3\n7,3.5\n")
    wait_for("the data", lambda: label_with(app, "iris.csv"))
    time.sleep(1.0)
    rawinput.keyCombo("<Control>t")
    wait_for("the file chooser", lambda: any("Apply" in (w.name or "") or "Test" in (w.name or "")
                                             for w in app.children if w.roleName != "frame"))
    time.sleep(1.0)
    rawinput.typeText(test_file)
    time.sleep(0.5)
    rawinput.pressKey("Return")
    banner = wait_for("the error banner", lambda: label_with(app, "lacks 2 of the open file's"))
    if "petal_length_cm" not in banner.name or "petal_width_cm" not in banner.name:
        sys.exit(f"FAIL: the banner does not name the missing columns: {banner.name!r}")
    print("ok: banner:", banner.name.splitlines()[0])
    summary = wait_for("the test file's statistics", lambda: label_with(app, "partial.csv: mean 6"))
    print("ok:", summary.name)
    click(app.child(name="Clear Test File", roleName="push button"))
    wait_for("the overlay to go", lambda: label_with(app, "partial.csv: mean") is None)
    print("ok: Clear Test File removes the overlay")
    os.remove(test_file)
    os.rmdir(out)


if __name__ == "__main__":
    run_app(run, "e2e-apply.png", args=(IRIS,))
