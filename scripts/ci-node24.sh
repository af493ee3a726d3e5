#!/usr/bin/env bash
# Runs the test suite and the registry round trip on Node 24, installed from the npm registry's
# `node` package into a temporary prefix (removed on exit, whatever happens). Expects the
# workspace to be installed and built already (CI runs it after `pnpm install` and `pnpm build`).
#
# Usage: bash scripts/ci-node24.sh [--skip-tests] [--skip-roundtrip]
set -euo pipefail
cd "$(dirname "$0")/.."

run_tests=1
run_roundtrip=1
for arg in "$@"; do
  case "$arg" in
    --skip-tests) run_tests=0 ;;
    --skip-roundtrip) run_roundtrip=0 ;;
    *) echo "ci-node24.sh: unknown argument $arg (use --skip-tests or --skip-roundtrip)" >&2; exit 2 ;;
  esac
done

prefix="$(mktemp -d "${TMPDIR:-/tmp}/scratchnet-node24-XXXXXX")"
trap 'rm -rf "$prefix"' EXIT

echo "== Installing node@24 into $prefix"
# --foreground-scripts: the package's install script is what fetches the node-<os>-<arch> binary.
npm install --prefix "$prefix" --no-audit --no-fund --no-save --foreground-scripts node@24 >"$prefix/install.log" 2>&1 || {
  cat "$prefix/install.log" >&2
  echo "ci-node24.sh: npm install node@24 failed (log above)" >&2
  exit 1
}
node24="$prefix/node_modules/node/bin/node"
if [[ ! -x "$node24" ]]; then
  cat "$prefix/install.log" >&2
  echo "ci-node24.sh: node@24 installed no binary at $node24" >&2
  exit 1
fi
export PATH="$(dirname "$node24"):$PATH"
version="$(node --version)"
if [[ "$version" != v24.* ]]; then
  echo "ci-node24.sh: expected node v24.x first on PATH, found $version" >&2
  exit 1
fi
echo "node $version ($(command -v node)); pnpm $(pnpm --version)"

if [[ "$run_tests" == 1 ]]; then
  echo "== Test suite on Node $version"
  # --force: turbo's cache key does not include the Node version, so a cached Node 20 result
  # would otherwise be replayed instead of running the tests again.
  pnpm test --force
fi

if [[ "$run_roundtrip" == 1 ]]; then
  echo "== Registry round trip on Node $version"
  node scripts/registry-roundtrip.mjs
fi
echo "ci-node24.sh: ok on Node $version"
