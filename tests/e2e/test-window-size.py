#!/usr/bin/python3
"""test-window-size.py: the window's size is remembered in GSettings (keyfile backend in a scratch
folder): app.quit (Ctrl+Q) saves the size the window had, and the next launch opens at the saved
size. Run under run-headless.sh; NS_GUI names the built app.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import configparser
import os
import subprocess
import sys
import tempfile
import time

from dogtail import rawinput

from e2e_utils import find_app, wait_for

GROUP = "io/github/normscope/Normscope"


def launch(config_home):
    env = dict(os.environ, GDK_BACKEND="x11", GSK_RENDERER="cairo", GTK_A11Y="atspi",
               GSETTINGS_BACKEND="keyfile", XDG_CONFIG_HOME=config_home)
    env.pop("NO_AT_BRIDGE", None)
    return subprocess.Popen([os.environ["NS_GUI"]], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def window_size(app):
    frame = wait_for("the window", lambda: next(
        (w for w in app.children if w.roleName in ("frame", "window")), None))
    return wait_for("the window's size", lambda: frame.size if frame.size[0] > 0 else None)


def quit_with_keys(process):
    time.sleep(1.0)
    rawinput.keyCombo("<Control>q")
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        sys.exit("FAIL: Ctrl+Q did not quit the app")


def saved(config_home):
    keyfile = configparser.ConfigParser()
    keyfile.read(os.path.join(config_home, "glib-2.0", "settings", "keyfile"))
    return {k: keyfile.get(GROUP, k, fallback=None) for k in ("window-width", "window-height")}


def main():
    with tempfile.TemporaryDirectory() as config_home:
        process = launch(config_home)
        first = window_size(wait_for("the app on the accessibility bus", find_app))
        quit_with_keys(process)
        values = saved(config_home)
        if None in values.values():
            sys.exit(f"FAIL: nothing saved: {values}")
        # The saved size is the window's, its client-side border included; AT-SPI reports the
        # inside, a few pixels smaller on each side.
        margin = (int(values["window-width"]) - first[0], int(values["window-height"]) - first[1])
        if not all(0 <= m <= 64 for m in margin):
            sys.exit(f"FAIL: the window was {first} inside, the keyfile holds {values}")
        print(f"ok: Ctrl+Q saved the window's size {values['window-width']}x{values['window-height']} "
              f"(AT-SPI: {first[0]}x{first[1]})")
        keyfile = os.path.join(config_home, "glib-2.0", "settings", "keyfile")
        # A size above the window's minimum (its pages need about 940 x 600).
        with open(keyfile, "w") as f:
            f.write(f"[{GROUP}]\nwindow-width=1100\nwindow-height=760\n")
        process = launch(config_home)
        try:
            second = window_size(wait_for("the app again", find_app))
        finally:
            process.terminate()
            process.wait(timeout=10)
        if tuple(second) != (1100 - margin[0], 760 - margin[1]):
            sys.exit(f"FAIL: the saved size is 1100x760, the window opened at {second} inside")
        print("ok: the next launch opens at the saved size, 1100x760")


main()
