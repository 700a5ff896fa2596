#!/usr/bin/env bash
# The device check, for a machine with a CUDA GPU: one command that builds hoop for it, runs
# every GPU test, and prints the tables of the GPU work: reduce-kernel bandwidth per datatype
# against a device-to-device copy, and all-reduce busbw of 2, 4 and 8 logical ranks on GPU 0
# from 8 B to 1 GiB (with MPI also of 2 and 4 processes sharing it over CUDA IPC). It needs
# nvcc, CMake and ninja; MPI is used when mpicc is there (then the NCCL and CUDA IPC tests
# run too), else the build is HOOP_WITH_MPI=OFF. Warnings are not errors here, since that
# machine's compiler may warn differently. About 3-4 minutes on one H200 with 16 cores
# without MPI. Exit status: the tests' (0 when every GPU test passed).
#   benchmarks/gpu/run_device_checks.sh [build dir (default: build-gpu)]
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-gpu}
mpi=OFF
command -v mpicc >/dev/null && mpi=ON

echo "== build (HOOP_WITH_MPI=$mpi)"
start=$SECONDS
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHOOP_WITH_MPI=$mpi -DHOOP_WITH_CUDA=ON \
  -DHOOP_WERROR=OFF -DHOOP_BUILD_EXAMPLES=OFF ${HOOP_CMAKE_ARGS:-} >"$build.configure.log" 2>&1 \
  || { cat "$build.configure.log"; exit 1; }
grep '^-- hoop:' "$build.configure.log"
cmake --build "$build" -j "$(nproc)" >"$build.build.log" 2>&1 || { tail -50 "$build.build.log"; exit 1; }
echo "built in $((SECONDS - start)) s"
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem --format=csv 2>/dev/null

echo "== GPU tests"
ctest --test-dir "$build" -L gpu -V --timeout 300 >"$build.tests.log" 2>&1
tests=$?
grep -E '(SKIPPED|FAILED|passed, [0-9]+ failed|Test +#)' "$build.tests.log"
grep -E 'tests passed|tests failed' "$build.tests.log"

echo "== reduce kernels (sum) vs device-to-device copy"
"$build/benchmarks/gpu/reduce_kernel_perf"
echo "== all-reduce, logical ranks on one GPU"
"$build/benchmarks/gpu/clique_allreduce_perf" 2 4 8
if [ "$mpi" = ON ]; then
  echo "== all-reduce, processes on one GPU (CUDA IPC)"
  for ranks in 2 4; do
    mpirun --allow-run-as-root --oversubscribe --bind-to none -np $ranks "$build/benchmarks/gpu/ipc_allreduce_perf"
  done
fi
exit $tests
