#!/usr/bin/env bash
# The peer-benchmark adapter for schemasync (see bench/README.md). bench/run_peers.sh
# copies it into a scratch copy of shared/bench/peers and sets SCHEMASYNC_ROOT.
set -euo pipefail
ROOT="${SCHEMASYNC_ROOT:?SCHEMASYNC_ROOT must point at the schemasync checkout}"
case "${1:-}" in
  setup) command -v cargo >/dev/null || { echo "cargo not found" >&2; exit 1; }
         cd "$ROOT" && cargo build --release --quiet -p schemasync-tests --bin schemasync-peer-bench ;;
  run)   shift; exec "$ROOT/target/release/schemasync-peer-bench" run "$@" ;;
  *) echo "usage: $0 setup MAX_SPEC | run --spec F --db D [--runs R --warmup W --marker-noop]" >&2; exit 2 ;;
esac
