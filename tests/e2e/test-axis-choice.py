#!/usr/bin/python3
"""test-axis-choice.py: as a person would: open an (N, C, H, W) .npy (shape (3, 3, 4, 2)); Compare
shows the shape and reads the last axis as the features (two channels of 36 values); choose
"axis 1 (size 3)" in "Features along" with the keyboard: the column list then holds three channels of
24 values each. Run under run-headless.sh (Xvfb + a private D-Bus session); NS_GUI names the app.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import os
import sys
import time

from dogtail import rawinput

from e2e_utils import click, find, run_app, wait_for

NPY = os.path.join(os.environ["NS_SOURCE_ROOT"], "tests", "data", "npy", "image-nchw-f8.npy")


def label(app, text):
    return find(app, lambda n: n.roleName == "label" and n.name == text)


def column_count(app, column):
    """The Count cell of the column list's row for column."""
    name = label(app, column)
    if name is None:
        return None
    cells = [c for c in name.parent.parent.children if c.roleName == "table cell"]
    return cells[2].children[0].name


def run(app):
    wait_for("the data", lambda: label(app, "image-nchw-f8.npy"))
    wait_for("the tensor's shape", lambda: label(app, "Shape (3, 3, 4, 2)"))
    wait_for("two channels along the last axis", lambda: label(app, "channel_1"))
    if label(app, "channel_2") is not None or column_count(app, "channel_0") != "36":
        sys.exit("FAIL: the last axis should give two channels of 36 values")
    print("ok: (3, 3, 4, 2) read along axis 3: 2 channels of 36 values")
    axis = wait_for("Features along", lambda: find(
        app, lambda n: n.name == "Features along" and n.roleName == "combo box"))
    click(find(axis, lambda n: n.roleName == "push button"))
    wait_for("the axis 1 item", lambda: find(
        axis, lambda n: n.roleName == "label" and n.name == "axis 1 (size 3)"
        and n.parent.parent.roleName == "list item"))
    time.sleep(0.5)
    # The keyboard, as a person without a pointer would: the first item (axis 1), then Enter.
    rawinput.pressKey("Home")
    rawinput.pressKey("Return")
    wait_for("three channels along axis 1", lambda: label(app, "channel_2"))
    wait_for("24 values per channel", lambda: column_count(app, "channel_0") == "24")
    print("ok: axis 1 chosen: 3 channels of 24 values")


if __name__ == "__main__":
    run_app(run, "e2e-axis-choice.png", args=(NPY,))
