#!/usr/bin/python3
"""test-single-instance.py: normscope runs once per session: a second `normscope FILE` (what "Open
With" in a file manager runs) hands FILE to the running app over D-Bus and exits 0, and the file
opens in the running window, not a new one. Run under run-headless.sh; NS_GUI names the built app.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import os
import subprocess
import sys

from e2e_utils import find, run_app, wait_for

DATA = os.path.join(os.environ["NS_SOURCE_ROOT"], "data")


def file_shown(app, name):
    return find(app, lambda n: n.roleName == "label" and n.name == name)


def windows(app):
    return [w for w in app.children if w.roleName in ("frame", "window")]


def run(app):
    wait_for("iris.csv in the window", lambda: file_shown(app, "iris.csv"))
    print("ok: the first instance shows iris.csv")
    env = dict(os.environ, GDK_BACKEND="x11", GSETTINGS_BACKEND="memory")
    second = subprocess.run([os.environ["NS_GUI"], os.path.join(DATA, "wine.csv")], env=env,
                            capture_output=True, text=True, timeout=60)
    if second.returncode != 0:
        sys.exit(f"FAIL: the second normscope exited {second.returncode}: {second.stderr}")
    print("ok: the second normscope hands its file over and exits 0")
    wait_for("wine.csv in the running window", lambda: file_shown(app, "wine.csv"))
    print("ok: wine.csv opens in the running instance")
    count = wait_for("one window", lambda: len(windows(app)) == 1 and 1, exit_on_timeout=False)
    if count != 1:
        sys.exit(f"FAIL: {len(windows(app))} windows, expected the one running window")
    print("ok: in the running window, no second window")


run_app(run, "single-instance.png", args=[os.path.join(DATA, "iris.csv")])
