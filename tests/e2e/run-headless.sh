#!/bin/sh
# run-headless.sh: runs a command under Xvfb with a private D-Bus session (GUI tests).
# SPDX-License-Identifier: GPL-3.0-or-later
set -e
home=$(mktemp -d)
mkdir -p "$home/xdg" && chmod 700 "$home/xdg"
export HOME="$home" XDG_RUNTIME_DIR="$home/xdg" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config"
# --screen WxHxD: another screen than 1280x1024x24 (a small projector's 1024x600x24, say).
screen=1280x1024x24
if [ "$1" = "--screen" ]; then
  screen=$2
  shift 2
fi
status=0
xvfb-run -a -s "-screen 0 $screen -noreset" dbus-run-session -- "$@" || status=$?
rm -rf "$home"
exit $status
