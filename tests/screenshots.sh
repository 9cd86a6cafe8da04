#!/bin/bash
# screenshots.sh: the README's screenshots, made under Xvfb from a build tree, at three screen sizes.
# Usage: tests/screenshots.sh [BUILD_DIR]   (default _build); writes data/screenshots/*.png
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/_build}" && pwd)
out="$top/data/screenshots"
skewed="$top/tests/data/skewed-outliers.csv"  # a lognormal column; a normal one with 1 % at +50 sigma
mkdir -p "$out"

# Each screen size is its own X server; the inner run (NS_SCREEN set) takes the shots.
if [ -z "${NS_SCREEN:-}" ]; then
  for screen in 1024x600 1366x768 1920x1080; do
    NS_SCREEN=$screen xvfb-run -a -s "-screen 0 ${screen}x24 -noreset" dbus-run-session -- \
      "$0" "$build"
  done
  "$build/app/normscope-cli" plot "$top/data/iris.csv" --method standard,minmax,robust \
    --column petal_length_cm -o "$out/figure.png"
  "$build/app/normscope-cli" plot "$top/data/wine.csv" --method standard,robust --qq \
    --column proline -o "$out/figure-qq.png"
  "$build/app/normscope-cli" plot "$skewed" --method standard,minmax,robust \
    --column normal_outliers -o "$out/figure-outliers.png"
  "$build/app/normscope-cli" plot "$skewed" --method yeo-johnson,box-cox,quantile-normal,normalizer \
    --column lognormal -o "$out/figure-nonlinear.png"
  ls -l "$out"
  exit 0
fi

export GDK_BACKEND=x11 GSK_RENDERER=cairo NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory
home=$(mktemp -d)
export HOME="$home" XDG_DATA_HOME="$home/data"

# shot NAME FILE [ENV…]: the whole screen (no window manager: the window sits at the origin).
shot () {
  local name=$1 file=$2
  shift 2
  env "$@" "$build/app/normscope" "$file" > /dev/null 2>&1 &
  local app=$!
  sleep 4
  import -window root "$out/$name.png"
  kill $app; wait $app 2>/dev/null || true
}

# chosen NAME FILE STRATEGIES [ENV…]: a shot with the Compare page's strategies set, as a user's
# remembered choice (GSettings' keyfile backend, e.g. "['yeo-johnson', 'box-cox']").
chosen () {
  local name=$1 file=$2 strategies=$3
  shift 3
  mkdir -p "$home/config/glib-2.0/settings"
  printf '[io/github/normscope/Normscope]\nstrategies=%s\n' "$strategies" \
    > "$home/config/glib-2.0/settings/keyfile"
  shot "$name" "$file" GSETTINGS_BACKEND=keyfile XDG_CONFIG_HOME="$home/config" "$@"
}
# A column with negative values first, for Box-Cox's refusal.
signed="$home/signed.csv"
awk -F, 'BEGIN { OFS = "," } { print $3, $1, $2 }' "$top/tests/data/sklearn-family/train.csv" \
  > "$signed"
nonlinear="['yeo-johnson', 'box-cox', 'quantile-normal', 'normalizer']"

# pages NAME FILE [ENV…]: the Overview page and presentation mode on every page, through AT-SPI.
pages () {
  local name=$1 file=$2
  shift 2
  env NS_GUI="$build/app/normscope" GTK_A11Y=atspi NO_AT_BRIDGE= "$@" /usr/bin/python3 \
    "$top/tests/screenshot-pages.py" "$file" "$out/$name-" > /dev/null 2>&1 \
    || echo "pages $name: failed" >&2
}

case $NS_SCREEN in
  1024x600)
    shot compare-1024x600 "$skewed" ADW_DEBUG_COLOR_SCHEME=default
    shot compare-1024x600-dark "$top/data/wine.csv" GTK_THEME=Adwaita:dark
    chosen compare-nonlinear-1024x600 "$skewed" "$nonlinear" ADW_DEBUG_COLOR_SCHEME=default
    pages 1024x600 "$top/data/digits.csv" ;;
  1366x768)
    shot compare "$skewed" ADW_DEBUG_COLOR_SCHEME=default
    shot compare-dark "$top/data/diabetes.csv" ADW_DEBUG_COLOR_SCHEME=prefer-dark
    chosen compare-nonlinear "$skewed" "$nonlinear" ADW_DEBUG_COLOR_SCHEME=default
    chosen compare-box-cox-refused "$signed" "['standard', 'yeo-johnson', 'box-cox', 'quantile-uniform']" \
      ADW_DEBUG_COLOR_SCHEME=default
    "$build/tests/screenshot-all-scalers" "$top/tests/data/all-scalers/housing-like.csv" \
      "$out/all-scalers.png" 1366 768 MedInc AveOccup MedHouseVal > /dev/null 2>&1
    pages 1366x768 "$skewed"
    pages 1366x768-dark "$top/data/wine.csv" ADW_DEBUG_COLOR_SCHEME=prefer-dark ;;
  1920x1080)
    shot compare-1920x1080 "$top/data/wine.csv" ADW_DEBUG_COLOR_SCHEME=default
    shot compare-1920x1080-dark "$skewed" ADW_DEBUG_COLOR_SCHEME=prefer-dark
    chosen compare-nonlinear-1920x1080-dark "$skewed" "$nonlinear" GTK_THEME=Adwaita:dark
    pages 1920x1080 "$top/data/digits.csv" ;;
esac
rm -rf "$home"
