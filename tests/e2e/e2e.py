#!/usr/bin/python3
"""e2e.py: as a person would: open the iris sample from the menu, pick a strategy, export its
stats JSON through the export panel, and check the file against `normscope-cli fit`.

Usage: e2e.py WORKDIR NORMSCOPE_CLI  (run by run-e2e.sh with the app already started)
SPDX-License-Identifier: GPL-3.0-or-later
"""
import json
import os
import subprocess
import sys

from e2e_utils import click, find, find_app, open_from_menu, wait_for

WORKDIR, CLI = sys.argv[1], sys.argv[2]


def child(root, name, role):
    return wait_for(f"{role} '{name}'",
                    lambda: root.child(name=name, roleName=role, retry=False))


app = wait_for("the app on the accessibility bus", find_app)
print("ok: app on the a11y bus")

# Main menu -> Sample Datasets -> Iris.
open_from_menu(app, "Sample Datasets", "Iris")
wait_for("the column list", lambda: app.findChild(lambda n: n.name == "sepal_length_cm",
                                                   retry=False, requireResult=False))
print("ok: iris opened from the menu")

# Pick a strategy: Keras Normalization, from the Strategies popover (clicked again to close it).
strategies = child(app, "Strategies", "push button")
click(strategies)
click(wait_for("the Keras row", lambda: find(
    app, lambda n: n.name == "Keras" and n.roleName in ("push button", "toggle button"))))
click(strategies)
wait_for("the Keras panel", lambda: "Keras Normalization" in
         child(app, "Distribution plot", "image").description)
print("ok: Keras strategy shown")

# Export panel: the strategy just picked, JSON, a path, Export Statistics.
if os.environ.get("NS_E2E_DUMP"):
    for n in app.findChildren(lambda n: "xport" in (n.name or "")):
        print("DUMP", repr(n.name), n.roleName, list(n.actions))
export_tab = wait_for("the Export view", lambda: app.findChild(
    lambda n: n.name == "Export" and n.roleName in ("page tab", "push button", "toggle button"),
    retry=False, requireResult=False))
click(export_tab)
target = os.path.join(WORKDIR, "gui-keras.json")
entry = child(app, "Output file", "text")
entry.queryEditableText().setTextContents(target)
click(child(app, "Export Statistics", "push button"))
wait_for("the exported file", lambda: os.path.exists(target))
print("ok: exported", target)

with open(target) as f:
    gui = json.load(f)
expected_path = os.path.join(WORKDIR, "cli-keras.json")
subprocess.run([CLI, "fit", gui["source"]["file"], "--method", "keras", "-o", expected_path],
               check=True)
with open(expected_path) as f:
    cli = json.load(f)
if gui != cli:
    sys.exit(f"FAIL: the GUI's export differs from normscope-cli fit:\n{gui}\n{cli}")
with open(target, "rb") as a, open(expected_path, "rb") as b:
    if a.read() != b.read():
        sys.exit("FAIL: same JSON content but different bytes")
print("ok: identical to normscope-cli fit --method keras")
