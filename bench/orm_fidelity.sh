#!/usr/bin/env bash
# Schemas other ORMs wrote: SQLAlchemy (metadata.create_all), TypeORM (synchronize) and
# Sequelize (sync) each create the peer harness's generated spec in a database of their
# own, with the harness's own model builders; schemasync then compares that database
# with models built from the same spec and prints every difference it sees.
#
#   bash bench/orm_fidelity.sh          # N = 30 tables
#   bash bench/orm_fidelity.sh 100
#
# Needs what bench/run_peers.sh needs (python3, node + npm, PostgreSQL on 127.0.0.1).
# The expected differences, and why each is real, are in bench/README.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-30}"
WORK="$(bash "$ROOT/bench/run_peers.sh" --prepare-only | tail -n 1)"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
cp "$ROOT"/bench/orm_fidelity/create.* "$WORK/node/" 2>/dev/null || true
cp "$ROOT/bench/orm_fidelity/create.py" "$WORK/create_sqlalchemy.py"
(cd "$WORK/node" && [ -d node_modules ] || npm ci --silent)
(cd "$ROOT" && cargo build --release --quiet -p schemasync-tests --bin schemasync-peer-bench)
BIN="$ROOT/target/release/schemasync-peer-bench"
SPEC="$WORK/out/fidelity_spec_$N.json"
mkdir -p "$WORK/out"
python3 "$WORK/gen_spec.py" "$N" "$SPEC"
status=0
for peer in sqlalchemy typeorm sequelize; do
  db="fidelity_$peer"
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  case "$peer" in
    sqlalchemy) (cd "$WORK" && .venv/bin/python create_sqlalchemy.py "$SPEC" "$db") ;;
    *) (cd "$WORK/node" && node create.js "$peer" "$SPEC" "$db") ;;
  esac
  echo "== $peer: differences schemasync sees between the models and the schema $peer created"
  "$BIN" compare --spec "$SPEC" --db "$db" | tee "$WORK/out/fidelity_$peer.jsonl" || status=1
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
done
exit $status
