#!/bin/sh
# Computes a loss over shards in parallel and merges the partial states into the value
# one run over the concatenated shards gives (docs/streaming-and-shards.md).
#
#   Examples/shards.sh DIR [JOBS] -- compute arguments...
#
# DIR holds shard pairs NAME.y_true.npy / NAME.y_pred.npy; each becomes NAME.partial.json.
# Set LOSSKIT to the binary (default: losskit on PATH). Example:
#   Examples/shards.sh shards 2 -- BinaryCrossentropy --framework keras
set -eu
dir=$1; shift
jobs=2
if [ "$1" != "--" ]; then jobs=$1; shift; fi
[ "$1" = "--" ] && shift
losskit=${LOSSKIT:-losskit}
export losskit
ls "$dir"/*.y_pred.npy | sed 's/\.y_pred\.npy$//' |
  xargs -P "$jobs" -I{} sh -c '"$losskit" compute "$@" --y-true "$0.y_true.npy" --y-pred "$0.y_pred.npy" --partial "$0.partial.json" > /dev/null' {} "$@"
"$losskit" merge "$dir"/*.partial.json
