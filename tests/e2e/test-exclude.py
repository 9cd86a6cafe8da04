#!/usr/bin/python3
"""test-exclude.py: as a person would: open iris, press Exclude Column on the column Compare shows,
export the statistics JSON from the Export page, and check the column is absent while the others are
there. Then open the wine sample: the column list suggests excluding cultivar (3 integer values),
which stays until its Exclude button is pressed. Run under run-headless.sh (Xvfb + a
private D-Bus session); NS_GUI names the built app.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import json
import os
import sys
import tempfile
import time

from e2e_utils import click, find, open_from_menu, run_app, wait_for

IRIS = os.path.join(os.environ["NS_SOURCE_ROOT"], "data", "iris.csv")
EXCLUDED = "sepal_length_cm"  # the column Compare shows first


def run(app):
    out = tempfile.mkdtemp(prefix="ns-e2e-exclude-")
    target = os.path.join(out, "stats.json")
    wait_for("the data", lambda: find(app, lambda n: n.roleName == "label"
                                      and n.name == "iris.csv"))
    wait_for("the first column shown", lambda: find(
        app, lambda n: n.roleName == "label" and n.name == EXCLUDED))
    time.sleep(1.0)
    click(wait_for("Exclude Column", lambda: find(
        app, lambda n: n.name == "Exclude Column" and n.roleName == "push button")))
    wait_for(f"{EXCLUDED} to leave the column list", lambda: find(
        app, lambda n: n.roleName == "label" and n.name == EXCLUDED) is None)
    print(f"ok: {EXCLUDED} excluded")
    click(wait_for("the Export tab", lambda: find(
        app, lambda n: n.name == "Export" and n.roleName == "page tab")))
    entry = wait_for("the output entry", lambda: find(
        app, lambda n: n.name == "Output file" and n.roleName == "text"))
    entry.queryEditableText().setTextContents(target)
    click(wait_for("Export Statistics", lambda: find(
        app, lambda n: n.name == "Export Statistics" and n.roleName == "push button")))
    wait_for("the exported file", lambda: os.path.exists(target))
    with open(target) as f:
        text = f.read()
    stats = json.loads(text)
    if EXCLUDED in text or "sepal_width_cm" not in text:
        sys.exit(f"FAIL: the export still holds {EXCLUDED} or lost the others: {text[:400]}")
    print(f"ok: exported {target} without {EXCLUDED} ({len(text)} bytes, keys {sorted(stats)[:4]})")
    os.remove(target)
    os.rmdir(out)
    accept_class_suggestion(app)


def accept_class_suggestion(app):
    click(wait_for("the Compare tab", lambda: find(
        app, lambda n: n.name == "Compare" and n.roleName == "page tab")))
    open_from_menu(app, "Sample Datasets", "Wine")
    wait_for("the wine data", lambda: find(app, lambda n: n.roleName == "label"
                                           and n.name == "wine.csv"))
    wait_for("the suggestion", lambda: find(
        app, lambda n: n.roleName == "label" and n.name.startswith("cultivar: only 3 integer")))
    if find(app, lambda n: n.roleName == "label" and n.name == "cultivar") is None:
        sys.exit("FAIL: cultivar left the list before the suggestion was accepted")
    button = wait_for("the suggestion's Exclude button", lambda: find(
        app, lambda n: n.roleName == "push button" and n.name.startswith("Exclude cultivar")))
    click(button)
    wait_for("cultivar to leave the column list", lambda: find(
        app, lambda n: n.roleName == "label" and n.name == "cultivar") is None)
    print("ok: cultivar suggested, kept until Exclude was pressed, then left out")


if __name__ == "__main__":
    run_app(run, "e2e-exclude.png", args=(IRIS,))
