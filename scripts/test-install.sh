#!/usr/bin/env bash
# npm run test:install — mosaic as a user gets it: npm pack, install the tarball into a fresh prefix with a
# fresh HOME, then use it from an empty folder outside the clone (no typescript, no node_modules there).
# Only the npm registry is needed; npm's download cache is reused (it holds nothing of mosaic's).
#   KEEP=1 npm run test:install   keeps the temp folder and prints where it is
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/mosaic-install-XXXXXX")"
if [ "${KEEP:-}" = 1 ]; then trap 'echo "kept $work"' EXIT; else trap 'rm -rf "$work"' EXIT; fi
npm_cache="$(npm config get cache)"
step() { printf '\n== %s\n' "$*"; }
fail() {
  echo "test:install FAILED: $*" >&2
  exit 1
}

step "npm pack (prepare builds dist/, the embedded models and the config schema)"
(cd "$root" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball="$(ls "$work"/mosaic-*.tgz)"
echo "$(basename "$tarball"): $(du -h "$tarball" | cut -f1)"

export HOME="$work/home" XDG_CACHE_HOME="$work/home/.cache" npm_config_cache="$npm_cache"
unset MOSAIC_CACHE_DIR XDG_CONFIG_HOME
mkdir -p "$HOME" "$work/prefix" "$work/empty"
step "npm i -g into a fresh prefix (ONNXRUNTIME_NODE_INSTALL=skip, as the README says)"
ONNXRUNTIME_NODE_INSTALL=skip npm i -g --prefix "$work/prefix" "$tarball" --no-audit --no-fund --loglevel=error
export PATH="$work/prefix/bin:$PATH"
echo "installed: $(du -sh "$work/prefix" | cut -f1)"
[ ! -e "$work/prefix/lib/node_modules/mosaic/node_modules/@tensorflow/tfjs" ] || fail "TF.js was installed"

cd "$work/empty"
step "mosaic --version"
mosaic --version
[ "$(command -v mosaic)" = "$work/prefix/bin/mosaic" ] || fail "mosaic is not the installed one"

step "mosaic.config.ts importing defineConfig from \"mosaic\" (no typescript here)"
if node -e 'require.resolve("typescript")' 2>/dev/null; then fail "typescript is resolvable from $PWD"; fi
cat >mosaic.config.ts <<'EOF'
import { defineConfig } from "mosaic";

const rows: number = 36;
export default defineConfig({ index: "art-index", limit: rows, batchSize: 12 });
EOF
mosaic config >config.txt || fail "mosaic config exited $?"
cat config.txt
grep -q "^# config file: $PWD/mosaic.config.ts" config.txt || fail "mosaic config did not load mosaic.config.ts"
grep -q '^index = "art-index" .*# '"$PWD"'/mosaic.config.ts' config.txt || fail "index not taken from the file"

step "mosaic featurize (embedded default model, no conversion)"
rc=0
mosaic featurize --no-tui >featurize.txt 2>&1 || rc=$?
cat featurize.txt
[ "$rc" = 0 ] || fail "mosaic featurize exited $rc"
! grep -qi "converting" featurize.txt || fail "featurize converted a model"
[ ! -e "$XDG_CACHE_HOME/mosaic/models" ] || fail "a model was converted into the cache"
[ -f art-index/manifest.json ] || fail "no index at art-index/ (from the config)"

step "mosaic query … --json"
# A glob, not `ls | head`: under pipefail, ls can die of SIGPIPE once head has read its line.
images=("$XDG_CACHE_HOME"/mosaic/sample-v1/images/*.jpg)
image="${images[0]}"
[ -f "$image" ] || fail "no sample images in $XDG_CACHE_HOME/mosaic/sample-v1/images"
mosaic query "$image" -n 3 --json >query.json
node -e '
  const r = JSON.parse(require("fs").readFileSync("query.json", "utf8"));
  const hits = r.results ?? r;
  if (!Array.isArray(hits) || hits.length !== 3) throw new Error("expected 3 results, got " + JSON.stringify(r).slice(0, 200));
  console.log("results:", hits.map((h) => h.id).join(", "));
'

step "mosaic index info"
index_help="$(mosaic index --help)"
if grep -q "^  info" <<<"$index_help"; then
  mosaic index info
else
  echo "skipped: this mosaic has no 'index info' command"
fi

printf '\ntest:install passed (%s)\n' "$(mosaic --version)"
