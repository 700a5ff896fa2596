#!/usr/bin/env bash
# Runs peer_death under mpirun: the last rank kills itself with SIGKILL during an all-reduce.
# Passes when the job ends on its own within the limit, with a non-zero status.
set -u
mpiexec=$1
flags=$2
program=$3
ranks=$4
read -r -a flag_list <<<"${flags//;/ }"
start=$(date +%s)
timeout 120 "$mpiexec" "${flag_list[@]}" -np "$ranks" "$program"
status=$?
elapsed=$(( $(date +%s) - start ))
echo "mpirun exited with status $status after ${elapsed}s"
if [ "$status" -eq 0 ] || [ "$status" -eq 124 ]; then
  echo "FAILED: the job did not end with an error on its own"
  exit 1
fi
echo "PASSED: a dead peer ended the job instead of hanging it"
