#!/bin/sh
# Regenerates the binary fixtures of this directory (gzip -n: no name or time, so it is reproducible).
set -eu
cd "$(dirname "$0")"
gzip -n -9 -c simple.csv > simple.csv.gz
