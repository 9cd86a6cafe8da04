#!/usr/bin/env python3
# test-install.py: `meson install` into a temporary DESTDIR puts the programs, man pages, shell
# completion, the stats file's JSON Schema, and the desktop file, metainfo, icons, MIME types and
# GSettings schema where the build options say, and they work from there.
# SPDX-License-Identifier: GPL-3.0-or-later
import gzip
import json
import os
import subprocess
import sys
import tempfile
from xml.etree import ElementTree

MESON, BUILD, VERSION = sys.argv[1:4]
APP_ID = "io.github.normscope.Normscope"
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
    paths[os.path.join(o["datadir"], "zsh", "site-functions", "_normscope-cli")] = "zsh"
    paths[os.path.join(o["datadir"], "normscope", "normscope-stats.schema.json")] = "json-schema"
    if gui:
        share = o["datadir"]
        paths[os.path.join(share, "applications", APP_ID + ".desktop")] = "desktop"
        paths[os.path.join(share, "metainfo", APP_ID + ".metainfo.xml")] = "file"
        paths[os.path.join(share, "icons", "hicolor", "scalable", "apps", APP_ID + ".svg")] = "svg"
        paths[os.path.join(share, "icons", "hicolor", "symbolic", "apps",
                           APP_ID + "-symbolic.svg")] = "svg"
        paths[os.path.join(share, "mime", "packages", APP_ID + ".xml")] = "mime"
        paths[os.path.join(share, "glib-2.0", "schemas", APP_ID + ".gschema.xml")] = "gschema"
    return paths


def content_type(share, path):
    """What GIO (shared-mime-info) says path is, with the installed MIME package in XDG_DATA_DIRS."""
    env = dict(NO_DISPLAY, XDG_DATA_DIRS=f"{share}:/usr/share", XDG_DATA_HOME=share)
    result = subprocess.run(["gio", "info", "-a", "standard::content-type", path],
                            capture_output=True, text=True, env=env)
    return result.stdout.rsplit("standard::content-type:", 1)[-1].strip()


def mime_works(path):
    """update-mime-database takes the package; a .npy and a file with only NumPy's magic are
    application/x-npy, a .csv.gz application/x-compressed-csv."""
    share = os.path.dirname(os.path.dirname(os.path.dirname(path)))
    if subprocess.run(["update-mime-database", os.path.join(share, "mime")],
                      capture_output=True).returncode != 0:
        return False
    with tempfile.TemporaryDirectory() as folder:
        files = {"a.npy": b"\x93NUMPY\x01\x00v\x00{}", "magic-only.bin": b"\x93NUMPY\x01\x00v\x00{}",
                 "t.csv.gz": gzip.compress(b"a,b\n1,2\n")}
        types = {}
        for name, data in files.items():
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
            types[name] = content_type(share, os.path.join(folder, name))
    return types == {"a.npy": "application/x-npy", "magic-only.bin": "application/x-npy",
                     "t.csv.gz": "application/x-compressed-csv"}


def gschema_works(path):
    """The installed schema compiles strictly, and gsettings lists its keys from there."""
    with tempfile.TemporaryDirectory() as target:
        if subprocess.run(["glib-compile-schemas", "--strict", "--targetdir", target,
                           os.path.dirname(path)], capture_output=True).returncode != 0:
            return False
        keys = subprocess.run(["gsettings", "--schemadir", target, "list-keys", APP_ID],
                              capture_output=True, text=True).stdout.split()
    return {"window-width", "window-height", "window-maximized", "strategies",
            "presentation-scale", "excluded-columns", "color-scheme"} <= set(keys)


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
    if kind == "zsh":
        folder = os.path.dirname(path)
        result = subprocess.run(["zsh", "-f", "-c", f"fpath=({folder} $fpath); autoload -Uz compinit; "
                                 "compinit -D -u; print -- ${_comps[normscope-cli]}"],
                                capture_output=True, text=True)
        return result.stdout.strip() == "_normscope-cli"
    if kind == "mime":
        return mime_works(path)
    if kind == "gschema":
        return gschema_works(path)
    if kind == "svg":
        return ElementTree.parse(path).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    if kind == "desktop":
        with open(path) as f:
            mime = [l for l in f if l.startswith("MimeType=")]
        return mime and {"text/csv", "text/tab-separated-values", "application/x-compressed-csv",
                         "application/x-npy"} <= set(mime[0].strip()[len("MimeType="):].split(";"))
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
