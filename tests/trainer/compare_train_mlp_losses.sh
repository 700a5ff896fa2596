#!/usr/bin/env bash
# Trains examples/train_mlp at 1 and at 4 ranks with the same global batch and seed on a
# subset of Fashion-MNIST, and checks that the last epoch's losses agree to 1e-4 relative.
#   compare_train_mlp_losses.sh TRAIN_MLP MODE
set -euo pipefail
program=$1
mode=$2
mpiexec=${MPIEXEC:-mpirun}
read -r -a flags <<<"${MPIEXEC_FLAGS//;/ }"
args=(--mode "$mode" --epochs 2 --batch 64 --limit 4096 --seed 3)

loss() {
  "$mpiexec" "${flags[@]}" -np "$1" "$program" "${args[@]}" | tee /dev/stderr | awk '/^epoch/ {loss = $4} END {print loss}'
}
one=$(loss 1)
four=$(loss 4)
awk -v a="$one" -v b="$four" 'BEGIN {
  if (a == "" || b == "") { print "no loss printed"; exit 1 }
  d = (a - b) / a; if (d < 0) d = -d
  printf "final loss: 1 rank %s, 4 ranks %s, relative difference %.2e\n", a, b, d
  exit (d <= 1e-4) ? 0 : 1 }'
