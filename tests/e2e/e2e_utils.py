"""e2e_utils.py: what the AT-SPI end-to-end tests share: start the app, wait, find, click.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import os
import subprocess
import sys
import time

from dogtail.config import config

config.checkForA11y = False
config.logDebugToFile = False
config.searchCutoffCount = 10
from dogtail import tree  # noqa: E402  (after the config)
import pyatspi  # noqa: E402


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


def run_app(run, screenshot, args=()):
    """Starts NS_GUI with AT-SPI on, calls run(), screenshots into NS_BUILD_ROOT's logs, stops it."""
    env = dict(os.environ, GDK_BACKEND="x11", GSK_RENDERER="cairo", GTK_A11Y="atspi",
               GSETTINGS_BACKEND="memory")
    env.pop("NO_AT_BRIDGE", None)
    app_process = subprocess.Popen([os.environ["NS_GUI"], *args], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        run(wait_for("the app on the accessibility bus", find_app))
    finally:
        if os.environ.get("NS_BUILD_ROOT"):
            subprocess.run(["import", "-window", "root",
                            os.path.join(os.environ["NS_BUILD_ROOT"], "meson-logs", screenshot)],
                           check=False)
        app_process.terminate()
        app_process.wait(timeout=10)


def open_from_menu(app, submenu, item):
    """Main menu -> submenu -> item, with accessible actions (no key press, no focus change)."""
    click(wait_for("the main menu", lambda: app.child(name="Main menu", roleName="push button",
                                                      retry=False)))
    click(wait_for(f"the {submenu} submenu",
                   lambda: find(app, lambda n: n.name.replace("_", "") == submenu)))
    click(wait_for(f"the {item} item",
                   lambda: find(app, lambda n: n.name == item and n.roleName not in
                                ("label", "push button"))))
