#!/usr/bin/env bash
# `make engines`: the smoke suite in Firefox and in WebKitGTK at the same time (two pytest runs,
# one browser each: about a minute and a half rather than two and a half one after the other,
# most of it WebKitGTK starting the app). WebKit's output comes as it runs, Firefox's after it;
# the exit status fails if either run failed. Arguments go to both runs (e.g. --site=DIR).
set -uo pipefail
cd "$(dirname "$0")"
PY="${PYTHON:-../../.venv/bin/python}"
log="$(mktemp -t nn-engines-firefox.XXXXXX)"
trap 'rm -f "$log"' EXIT
"$PY" -m pytest -q --engine=firefox "$@" >"$log" 2>&1 &
firefox=$!
echo "== WebKitGTK (and Firefox ESR beside it) =="
"$PY" -m pytest -q --engine=webkit "$@"
webkit=$?
wait "$firefox"
firefox_status=$?
echo "== Firefox ESR =="
cat "$log"
[ "$webkit" = 0 ] && [ "$firefox_status" = 0 ]
