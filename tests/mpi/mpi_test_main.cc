// main() for GoogleTest programs that run under mpirun: every rank runs every test, only
// rank 0 prints progress (failures print on every rank), and the exit code is non-zero on
// all ranks when any rank failed. HOOP_TEST_MPI_THREAD_LEVEL (default MPI_THREAD_SINGLE) is the
// thread level the program asks MPI for.
#include <gtest/gtest.h>
#include <mpi.h>

#ifndef HOOP_TEST_MPI_THREAD_LEVEL
#define HOOP_TEST_MPI_THREAD_LEVEL MPI_THREAD_SINGLE
#endif

namespace {

// Prints the failures of a rank other than 0, which runs without gtest's printer.
class FailurePrinter : public ::testing::EmptyTestEventListener {
 public:
  explicit FailurePrinter(int rank) : rank_(rank) {}
  void OnTestPartResult(const ::testing::TestPartResult& result) override {
    if (!result.failed()) return;
    fprintf(stderr, "rank %d: %s:%d: Failure\n%s\n", rank_, result.file_name() != nullptr ? result.file_name() : "?",
            result.line_number(), result.summary());
  }

 private:
  int rank_;
};

}  // namespace

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, HOOP_TEST_MPI_THREAD_LEVEL, &provided);
  ::testing::InitGoogleTest(&argc, argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank != 0) {
    ::testing::TestEventListeners& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
    listeners.Append(new FailurePrinter(rank));
  }
  const int localFailure = RUN_ALL_TESTS() != 0 ? 1 : 0;
  int anyFailure = 0;
  MPI_Allreduce(&localFailure, &anyFailure, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (rank != 0 && localFailure) fprintf(stderr, "rank %d: tests failed\n", rank);
  MPI_Finalize();
  return anyFailure;
}
