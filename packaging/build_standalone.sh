#!/usr/bin/env bash
# Build the standalone disagg-viz (PyInstaller, one folder) and smoke-test it.
#
#   packaging/build_standalone.sh [PYTHON]
#
# PYTHON (default: python3) must have PyInstaller and disagg-viz's dependencies installed, e.g.
#   python3 -m venv /tmp/venv-build && /tmp/venv-build/bin/pip install pyinstaller .
#   packaging/build_standalone.sh /tmp/venv-build/bin/python
# The result is dist/disagg-viz/ (run dist/disagg-viz/disagg-viz); zip that folder to hand it out.
# The smoke test runs the built program, not the sources: --version, `simulate default --json`
# (compiling into a throw-away Numba cache, which must end up there and not in the bundle), and
# the window opened offscreen until its first result.
set -euo pipefail
PYTHON="${1:-python3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" packaging/disagg-viz.spec
APP="$ROOT/dist/disagg-viz/disagg-viz"

SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
export XDG_CACHE_HOME="$SCRATCH/cache" XDG_CONFIG_HOME="$SCRATCH/config"
unset NUMBA_CACHE_DIR

echo "== --version"
"$APP" --version | grep -q "^disagg-viz "

echo "== simulate default --json (first run compiles)"
"$APP" simulate default --json --set workload.requests=60 > "$SCRATCH/out.json"
"$PYTHON" - "$SCRATCH/out.json" <<'PY'
import json, sys
out = json.load(open(sys.argv[1]))
assert len(out["systems"]) >= 2 and all(s["requests"] == 60 for s in out["systems"]), out
PY
ls "$XDG_CACHE_HOME"/disagg-viz/numba/*/*/*.nbi > /dev/null     # the compiled code went to the app's cache folder
if find "$ROOT/dist/disagg-viz" -name '*.nbi' | grep -q .; then
    echo "Numba wrote its cache inside the bundle" >&2; exit 1
fi

echo "== the window, offscreen, until its first result"
QT_QPA_PLATFORM=offscreen DISAGG_VIZ_QUIT_AFTER_RESULT=1 timeout 300 "$APP" default

echo "== ok: $(du -sh "$ROOT/dist/disagg-viz" | cut -f1) in dist/disagg-viz"
