#!/usr/bin/env python3
# test-install.py: `meson install` into a temporary DESTDIR puts the programs, man pages, bash
# completion, the stats file's JSON Schema and the desktop file where the build options say, and
# they work from there.
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import subprocess
import sys
import tempfile

MESON, BUILD, VERSION = sys.argv[1:4]
NO_DISPLAY = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}


def options():
    text = subprocess.run([MESON, "introspect", BUILD, "--buildoptions"], capture_output=True,
                          text=True, check=True).stdout
    return {o["name"]: o["value"] for o in json.loads(text)}


def expected(o, gui):
    """Installed path (relative to the prefix) -> what must hold of it."""
    programs = ["normscope-cli", "normscope-dask"] + (["normscope"] if gui else [])
    paths = {os.path.join(o["bindir"], p): "version" for p in programs}
    paths.update({os.path.join(o["mandir"], "man1", p + ".1"): "man" for p in programs})
    paths[os.path.join(o["datadir"], "bash-completion", "completions", "normscope-cli")] = "bash"
    paths[os.path.join(o["datadir"], "normscope", "normscope-stats.schema.json")] = "json-schema"
    if gui:
        paths[os.path.join(o["datadir"], "applications",
                           "io.github.normscope.Normscope.desktop")] = "file"
    return paths


def works(path, kind):
    name = os.path.basename(path)
    if kind == "version":
        result = subprocess.run([path, "--version"], capture_output=True, text=True, env=NO_DISPLAY)
        return os.access(path, os.X_OK) and result.stdout == f"{name} {VERSION}\n"
    if kind == "man":
        result = subprocess.run(["man", "-l", path], capture_output=True, text=True,
                                env={**NO_DISPLAY, "MANWIDTH": "100"})
        return result.returncode == 0 and result.stdout.startswith(name[:-2].upper() + "(1)")
    if kind == "bash":
        result = subprocess.run(["bash", "--norc", "-c", f'. "{path}" && complete -p normscope-cli'],
                                capture_output=True, text=True)
        return result.returncode == 0
    if kind == "json-schema":
        with open(path) as f:
            return json.load(f).get("$schema", "").startswith("https://json-schema.org/")
    return os.path.getsize(path) > 0


def main():
    o = options()
    gui = os.path.exists(os.path.join(BUILD, "app", "normscope"))
    with tempfile.TemporaryDirectory(prefix="test-install-") as destdir:
        result = subprocess.run([MESON, "install", "-C", BUILD, "--no-rebuild", "--quiet",
                                 "--destdir", destdir], capture_output=True, text=True)
        print("1..%d" % (1 + len(expected(o, gui))))
        print(("ok" if result.returncode == 0 else "not ok") + " 1 - meson install --destdir")
        if result.returncode != 0:
            print("# " + result.stderr.replace("\n", "\n# "))
        root = destdir + o["prefix"]
        for i, (relative, kind) in enumerate(sorted(expected(o, gui).items()), 2):
            path = os.path.join(root, relative)
            ok = os.path.isfile(path) and works(path, kind)
            print(f"{'ok' if ok else 'not ok'} {i} - {o['prefix']}/{relative} ({kind})")


if __name__ == "__main__":
    main()
