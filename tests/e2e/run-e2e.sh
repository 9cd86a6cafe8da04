#!/bin/bash
# run-e2e.sh: starts the built app with AT-SPI on and drives it with e2e.py (inside run-headless.sh).
# SPDX-License-Identifier: GPL-3.0-or-later
here=$(dirname "$(readlink -f "$0")")
out=$(mktemp -d)
export GDK_BACKEND=x11 GSK_RENDERER=cairo GTK_A11Y=atspi GSETTINGS_BACKEND=memory
unset NO_AT_BRIDGE
"${NS_GUI:?NS_GUI must name the built normscope}" > "$out/app.log" 2>&1 &
app=$!
/usr/bin/python3 "$here/e2e.py" "$out" "${NS_CLI:?}"
status=$?
if [ -n "$NS_BUILD_ROOT" ]; then
  import -window root "$NS_BUILD_ROOT/meson-logs/e2e.png" 2>/dev/null || true
fi
kill $app 2>/dev/null
wait $app 2>/dev/null
if [ $status -ne 0 ]; then
  echo "--- app log"; cat "$out/app.log"
fi
rm -rf "$out"
exit $status
