#!/bin/sh
# screenshots-demos.sh: a PNG of the main window for every guided batch-norm demo, for the README:
#   tests/screenshots-demos.sh [BUILD_DIR] [OUTDIR]   (defaults: _build, data/screenshots)
# Runs the built tests/screenshot-demos under Xvfb with a private D-Bus session.
# SPDX-License-Identifier: GPL-3.0-or-later
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/_build}
out=${2:-$top/data/screenshots}
ninja -C "$build" tests/screenshot-demos >/dev/null
mkdir -p "$out"
GDK_BACKEND=x11 GSK_RENDERER=cairo GTK_A11Y=none GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 \
  "$top/tests/e2e/run-headless.sh" "$build/tests/screenshot-demos" "$out" 1400 940
