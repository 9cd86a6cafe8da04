#!/bin/bash
# screenshots.sh: the README's screenshots, made under Xvfb from a build tree.
# Usage: tests/screenshots.sh [BUILD_DIR]   (default _build); writes data/screenshots/*.png
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/_build}" && pwd)
out="$top/data/screenshots"
mkdir -p "$out"

if [ -z "${NS_SCREENSHOT_INNER:-}" ]; then
  export NS_SCREENSHOT_INNER=1
  exec xvfb-run -a -s "-screen 0 1280x1024x24 -noreset" dbus-run-session -- "$0" "$build"
fi

export GDK_BACKEND=x11 GSK_RENDERER=cairo NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory
home=$(mktemp -d)
export HOME="$home" XDG_DATA_HOME="$home/data"

# shot NAME SCHEME FILE: the window (1240x900 at the origin, no window manager) showing FILE.
shot () {
  ADW_DEBUG_COLOR_SCHEME="$2" "$build/app/normscope" "$3" > /dev/null 2>&1 &
  local app=$!
  sleep 4
  import -window root -crop 1240x900+0+0 +repage "$out/$1.png"
  kill $app; wait $app 2>/dev/null || true
}

shot compare default "$top/data/wine.csv"
shot compare-dark prefer-dark "$top/data/diabetes.csv"
"$build/app/normscope-cli" plot "$top/data/iris.csv" --method standard,minmax,robust \
  --column petal_length_cm -o "$out/figure.png"
"$build/app/normscope-cli" plot "$top/data/wine.csv" --method standard,robust --qq \
  --column proline -o "$out/figure-qq.png"
rm -rf "$home"
ls -l "$out"
