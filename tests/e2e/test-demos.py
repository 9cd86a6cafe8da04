#!/usr/bin/python3
"""test-demos.py: as a person would: start the app, open a guided batch-norm demo from the main
menu, press Play, then Step, export a figure through the explorer's export controls, and check the
file. Run under run-headless.sh (Xvfb + a private D-Bus session); NS_GUI names the built app.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import os
import sys
import tempfile

from e2e_utils import click, find, open_from_menu, run_app, wait_for

DEMO_TITLE = "Momentum: fast or smooth"


def run(app):
    out = tempfile.mkdtemp(prefix="ns-e2e-demos-")
    print("ok: app on the a11y bus")

    open_from_menu(app, "Demos", DEMO_TITLE)
    # A label's accessible name is its text.
    wait_for("the demo banner", lambda: find(
        app, lambda n: n.roleName == "label" and n.name == DEMO_TITLE))
    numbers = wait_for("the demo's numbers", lambda: find(
        app, lambda n: n.roleName == "label" and "running mean ends at" in n.name))
    print("ok: demo opened from the menu:", DEMO_TITLE)
    print("ok: numbers:", numbers.name)

    def step_text():
        label = find(app, lambda n: n.roleName == "label" and n.name.startswith(("step ", "all ")))
        return label.name if label else ""

    click(app.child(name="Play", roleName="push button"))
    wait_for("the animation to move", lambda: step_text().startswith("step ")
             and int(step_text().split()[1]) > 1)
    print("ok: playing:", step_text())
    click(app.child(name="Step", roleName="push button"))
    first = step_text()
    click(app.child(name="Step", roleName="push button"))
    second = step_text()
    if int(second.split()[1]) != int(first.split()[1]) + 1:
        sys.exit(f"FAIL: Step did not advance one batch: {first!r} -> {second!r}")
    print("ok: stepped:", first, "->", second)

    target = os.path.join(out, "running.svg")
    entry = wait_for("the figure file entry", lambda: find(
        app, lambda n: n.name == "Figure file" and n.roleName == "text"))
    entry.queryEditableText().setTextContents(target)
    click(app.child(name="Save Figure", roleName="push button"))
    if not wait_for("the exported figure", lambda: os.path.exists(target), exit_on_timeout=False):
        for n in app.findChildren(lambda n: "igure" in (n.name or "")):
            print("seen:", repr(n.name), n.roleName)
        sys.exit("FAIL: the figure was not exported")
    with open(target, "rb") as f:
        data = f.read()
    if not data.startswith(b"<?xml") or b"<svg" not in data or len(data) < 5000:
        sys.exit(f"FAIL: {target} is not a full SVG figure ({len(data)} bytes)")
    print(f"ok: exported {target} ({len(data)} bytes)")


if __name__ == "__main__":
    run_app(run, "e2e-demos.png")
