// The built-in tuning table, written by benchmarks/calibrate on the development machines
// (2 vCPU Xeon, Open MPI 4.1.4 over shared memory; 4 ranks oversubscribe the 2 cores) with
//   mpirun -np 2 build/benchmarks/calibrate -e 64M -f 4
//   mpirun -np 4 --oversubscribe build/benchmarks/calibrate -e 4M -f 4
// Replace it, or point HOOP_TUNE_FILE at a file measured where hoop runs.
#include "core/tuning_table.h"

namespace hoop {

const char* builtInTuning() {
  return R"(# transport collective algorithm nranks alpha_us beta_ns_per_byte gamma_ns_per_byte
mpi allreduce ring 2 0.5163 0.28773 0.00000
mpi allreduce tree 2 0.2894 0.21031 0.00000
mpi allreduce binomial 2 0.5766 0.23494 0.00000
mpi allreduce halving-doubling 2 0.6554 0.24466 0.00000
mpi allreduce recursive-doubling 2 0.6237 0.46552 0.00000
mpi broadcast ring 2 0.5631 0.10293 0.00000
mpi broadcast binomial 2 0.4470 0.12550 0.00000
mpi reduce ring 2 0.3975 0.13197 0.00000
mpi reduce binomial 2 0.3158 0.11244 0.00000
mpi allgather ring 2 0.6167 0.12838 0.00000
mpi allgather bruck 2 0.6519 0.47864 0.00000
mpi reducescatter ring 2 0.7266 0.13927 0.00000
mpi reducescatter recursive-halving 2 0.7169 0.20053 0.00000
mpi allreduce ring 4 1.2307 1.34455 0.00000
mpi allreduce tree 4 1.1814 0.32569 0.00000
mpi allreduce binomial 4 2.6240 0.31011 0.00000
mpi allreduce halving-doubling 4 2.7461 0.92710 0.00000
mpi allreduce recursive-doubling 4 3.4711 1.50706 0.00000
mpi broadcast ring 4 0.6558 0.14765 0.00000
mpi broadcast binomial 4 0.4171 0.26170 0.00000
mpi reduce ring 4 0.4538 0.35896 0.00000
mpi reduce binomial 4 0.8003 0.33864 0.00000
mpi allgather ring 4 2.9454 0.51792 0.00000
mpi allgather bruck 4 3.3599 0.54110 0.54110
mpi reducescatter ring 4 3.2230 1.14495 0.00000
mpi reducescatter recursive-halving 4 3.4118 0.56297 0.00000
)";
}

}  // namespace hoop
