#!/usr/bin/env bash
# Runs the shared peer benchmark (shared/bench/peers) with schemasync plugged in, so that
# schemasync is measured next to SQLAlchemy/Alembic and the raw-catalog floor in one run.
# shared/ is read-only, so the harness runs from a scratch copy outside this Cargo
# workspace (SeaORM's adapter is a crate of its own and must not find ours around it).
#
#   bash bench/run_peers.sh                 # N = 10 100 500
#   bash bench/run_peers.sh 500             # chosen Ns
#   PEERS="" bash bench/run_peers.sh        # every peer (needs node + npm ci, builds SeaORM)
#   bash bench/run_peers.sh --prepare-only  # copy the harness and make its venv; run nothing
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SRC="${PEERS_SRC:-$ROOT/../shared/bench/peers}"
WORK="${BENCH_WORK:-${TMPDIR:-/tmp}/schemasync-bench-peers}"
[ -d "$SRC" ] || { echo "no peer harness at $SRC" >&2; exit 1; }
mkdir -p "$WORK"
# Copy the harness (not its venv, node_modules, builds or old results).
(cd "$SRC" && find . -path ./.venv -prune -o -path ./node/node_modules -prune -o -path ./seaorm/target -prune -o -path ./out -prune -o -type f -print) |
  while read -r f; do mkdir -p "$WORK/$(dirname "$f")"; cp "$SRC/$f" "$WORK/$f"; done
chmod -R u+w "$WORK"
cp "$ROOT/bench/05-schemasync.sh" "$WORK/adapters/05-schemasync.sh"
chmod +x "$WORK"/adapters/*.sh "$WORK"/run_all.sh
if [ ! -x "$WORK/.venv/bin/python" ]; then
  python3 -m venv "$WORK/.venv"
  "$WORK/.venv/bin/pip" install --quiet -r "$WORK/requirements.txt"
fi
# The Node.js peers (TypeORM, Sequelize, node-pg's floor) need their packages; they are
# installed from the harness's lock file when a run includes them.
SELECTED="${PEERS-floor-psycopg2 sqlalchemy schemasync}"
if [ ! -d "$WORK/node/node_modules" ] && { [ -z "$SELECTED" ] || [[ "$SELECTED" == *typeorm* || "$SELECTED" == *sequelize* || "$SELECTED" == *node* ]]; }; then
  command -v npm >/dev/null || { echo "npm not found: the Node.js peers need Node.js and npm" >&2; exit 1; }
  (cd "$WORK/node" && npm ci --silent --no-audit --no-fund)
fi
export SCHEMASYNC_ROOT="$ROOT"
[ "${1:-}" = "--prepare-only" ] && { echo "$WORK"; exit 0; }
cd "$WORK"
PEERS="$SELECTED" ./run_all.sh "$@"
echo "Results: $WORK/results.md"
