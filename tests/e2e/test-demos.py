#!/usr/bin/python3
"""test-demos.py: as a person would: start the app, open a guided batch-norm demo from the main
menu, press Play, then Step, export a figure through the explorer's export controls, and check the
file. Run under run-headless.sh (Xvfb + a private D-Bus session); NS_GUI names the built app.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import os
import subprocess
import sys
import tempfile
import time

from dogtail.config import config

config.checkForA11y = False
config.logDebugToFile = False
config.searchCutoffCount = 10
from dogtail import tree  # noqa: E402  (after the config)
import pyatspi  # noqa: E402

DEMO_TITLE = "Momentum: fast or smooth"


def wait_for(what, predicate, timeout=25, exit_on_timeout=True):
    end = time.time() + timeout
    while time.time() < end:
        try:
            value = predicate()
            if value:
                return value
        except Exception:  # the tree changes under us while the app works
            pass
        time.sleep(0.2)
    if not exit_on_timeout:
        return None
    sys.exit(f"FAIL: timed out waiting for {what}")


def find_app():
    for app in pyatspi.Registry.getDesktop(0):
        if app is not None and app.name == "normscope":
            return tree.root.application("normscope")
    return None


def find(root, predicate):
    return root.findChild(predicate, retry=False, requireResult=False)


def click(node):
    """The accessible "click" action where there is one, else a real pointer click."""
    if "click" in node.actions:
        node.doActionNamed("click")
    else:
        node.click()
    time.sleep(0.4)


def main():
    out = tempfile.mkdtemp(prefix="ns-e2e-demos-")
    env = dict(os.environ, GDK_BACKEND="x11", GSK_RENDERER="cairo", GTK_A11Y="atspi",
               GSETTINGS_BACKEND="memory")
    env.pop("NO_AT_BRIDGE", None)
    log = open(os.path.join(out, "app.log"), "w")
    app_process = subprocess.Popen([os.environ["NS_GUI"]], env=env, stdout=log, stderr=log)
    try:
        run(out)
    finally:
        if os.environ.get("NS_BUILD_ROOT"):
            subprocess.run(["import", "-window", "root",
                            os.path.join(os.environ["NS_BUILD_ROOT"], "meson-logs",
                                         "e2e-demos.png")], check=False)
        app_process.terminate()
        app_process.wait(timeout=10)


def run(out):
    app = wait_for("the app on the accessibility bus", find_app)
    print("ok: app on the a11y bus")

    click(wait_for("the main menu", lambda: app.child(name="Main menu", roleName="push button",
                                                      retry=False)))
    click(wait_for("the Demos submenu",
                   lambda: find(app, lambda n: n.name.replace("_", "") == "Demos")))
    click(wait_for("the demo item",
                   lambda: find(app, lambda n: n.name == DEMO_TITLE and n.roleName != "label")))
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
    main()
