// Bad input to the C API, as one matrix: every public entry point of hoop.h, hoop_mpi.h and
// hoop_cuda.h against every class of bad input that applies to it (NULL communicator, NULL
// out-pointer, NULL buffer with count > 0 and NULL with count 0, unknown datatype and op, root
// out of range, overlapping buffers that are not the in-place layout, a byte size beyond the
// address space, a stream on a host communicator, a destroyed communicator, an aborted one, a
// bad hoopConfig_t). Each row is one call with the result code hoop.h documents and a part of
// the message. The test checks the code, that hoopGetLastError of the communicator (or of NULL
// where there is none) names the function and the problem, and that the communicator still
// gives an exact all-reduce after every row. Every rank runs the rows in the same order, so
// the rows that succeed run their collective on all ranks. Counts above INT_MAX are valid:
// large_count_test.cc covers them (they need gigabytes, so not here).
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "hoop/hoop_cuda.h"
#include "mpi_fixture.h"

namespace {

struct Row {
  std::string name;      // "function: the bad input"
  hoopResult_t expected;
  hoopComm_t errorOn;    // whose hoopGetLastError holds the message (NULL: the thread's)
  std::string says;      // part of the message; rows expecting hoopSuccess have none
  std::function<hoopResult_t()> call;
};

class ApiErrors : public MpiCommTest {
 protected:
  // An all-reduce on `c` with the exact result on every rank.
  void expectExactAllReduce(hoopComm_t c, const std::string& after) {
    std::vector<int64_t> in(5);
    std::vector<int64_t> out(5, -1);
    for (int i = 0; i < 5; ++i) in[i] = rank * 10 + i;
    ASSERT_EQ(hoopSuccess, hoopAllReduce(in.data(), out.data(), 5, hoopInt64, hoopSum, c, nullptr))
        << "after " << after << ": " << hoopGetLastError(c);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(out[i], 5 * nranks * (nranks - 1) + nranks * i) << "after " << after;
  }

  // Leaves a message of another function as the last error of `target` (NULL: the thread's),
  // so that a row whose call records nothing cannot pass on an older message.
  static void plantOtherMessage(hoopComm_t target, const std::string& function) {
    int ignored = 0;
    if (target == nullptr) {
      ASSERT_NE(hoopSuccess, function == "hoopGetVersion" ? hoopCommRank(nullptr, &ignored) : hoopGetVersion(nullptr));
    } else {
      ASSERT_NE(hoopSuccess, function == "hoopCommCount" ? hoopCommRank(target, nullptr) : hoopCommCount(target, nullptr));
    }
  }

  // A handle that points at readable memory but is no live communicator or request.
  alignas(16) unsigned char junk[256] = {};
};

TEST_F(ApiErrors, BadInputMatrix) {
  hoopConfig_t guarded = HOOP_CONFIG_INITIALIZER;
  guarded.timeoutSeconds = 30;  // a row that wrongly reaches the collective on some ranks only fails, not hangs
  hoopComm_t live = nullptr;
  ASSERT_EQ(hoopSuccess, hoopCommInitMPI(&live, MPI_COMM_WORLD, &guarded)) << hoopGetLastError(nullptr);
  hoopComm_t aborted = nullptr;
  ASSERT_EQ(hoopSuccess, hoopCommInitMPI(&aborted, MPI_COMM_WORLD, nullptr)) << hoopGetLastError(nullptr);
  ASSERT_EQ(hoopSuccess, hoopCommAbort(aborted));
  hoopComm_t dead = nullptr;  // made while `aborted` lives, so its address is not aborted's
  ASSERT_EQ(hoopSuccess, hoopCommInitMPI(&dead, MPI_COMM_WORLD, nullptr)) << hoopGetLastError(nullptr);
  ASSERT_EQ(hoopSuccess, hoopCommDestroy(dead));

  std::vector<float> send(64, 1.0f), recv(64, 0.0f), big(64 * static_cast<size_t>(nranks), 1.0f);
  float* a = send.data();
  float* b = recv.data();
  float* g = big.data();
  const size_t mine = static_cast<size_t>(rank) * 8;  // this rank's block of `g` for 8-element blocks
  int streamObject = 0;
  int scratch = 0;
  hoopStream_t stream = &streamObject;
  const size_t wraps = SIZE_MAX / 4 + 1;      // float bytes overflow size_t
  const size_t tooLarge = SIZE_MAX / 8 + 1;   // float bytes fit size_t but exceed PTRDIFF_MAX
  const hoopResult_t kOk = hoopSuccess, kArg = hoopInvalidArgument, kUsage = hoopInvalidUsage;
  const hoopComm_t kThread = nullptr;
  const hoopRequest_t notLive = reinterpret_cast<hoopRequest_t>(junk);
  const std::string abortedSays = "the communicator was aborted; only hoopCommDestroy is valid on it";
  const std::string deadSays = "not a live communicator";

  // hoopAllReduceAsync with a stale handle in *request, which every failure must clear.
  auto async = [&](const void* s, void* r, size_t count, int type, int op, hoopComm_t c) {
    hoopRequest_t request = notLive;
    const hoopResult_t result =
        hoopAllReduceAsync(s, r, count, static_cast<hoopDataType_t>(type), static_cast<hoopRedOp_t>(op), c, &request);
    EXPECT_EQ(nullptr, request);
    return result;
  };
  // hoopCommInitMPI with HOOP_CONFIG_INITIALIZER changed by `edit`; a failure leaves *comm NULL.
  auto init = [&](MPI_Comm mpiComm, void (*edit)(hoopConfig_t*)) {
    hoopConfig_t config = HOOP_CONFIG_INITIALIZER;
    if (edit != nullptr) edit(&config);
    hoopComm_t made = reinterpret_cast<hoopComm_t>(junk);
    const hoopResult_t result = hoopCommInitMPI(&made, mpiComm, &config);
    EXPECT_EQ(nullptr, made);
    if (result == hoopSuccess) hoopCommDestroy(made);
    return result;
  };
  auto initWith = [&](void (*edit)(hoopConfig_t*)) { return [=] { return init(MPI_COMM_WORLD, edit); }; };

  std::vector<Row> rows = {
      // name                                       code   message on  message part / the call
      {"hoopGetVersion: NULL version", kArg, kThread, "version is NULL", [&] { return hoopGetVersion(nullptr); }},

      {"hoopCommInitMPI: NULL comm", kArg, kThread, "comm is NULL",
       [&] { return hoopCommInitMPI(nullptr, MPI_COMM_WORLD, nullptr); }},
      {"hoopCommInitMPI: MPI_COMM_NULL", kArg, kThread, "mpiComm is MPI_COMM_NULL", [&] { return init(MPI_COMM_NULL, nullptr); }},
      {"hoopCommInitMPI: config magic", kArg, kThread, "HOOP_CONFIG_INITIALIZER (magic 0x0",
       initWith([](hoopConfig_t* c) { c->magic = 0; })},
      {"hoopCommInitMPI: config size", kArg, kThread, "HOOP_CONFIG_INITIALIZER (magic 0x686f6f70, size 0",
       initWith([](hoopConfig_t* c) { c->size = 0; })},
      {"hoopCommInitMPI: config version", kArg, kThread, "version 0)", initWith([](hoopConfig_t* c) { c->version = 0; })},
      {"hoopCommInitMPI: unknown algorithm", kArg, kThread, "unknown algorithm 'bogus'",
       initWith([](hoopConfig_t* c) { c->algorithm = "bogus"; })},
      {"hoopCommInitMPI: algorithm not of the collective", kArg, kThread,
       "does not implement allgather (valid: auto ring bruck)",
       initWith([](hoopConfig_t* c) { c->algorithm = "allgather:tree"; })},
      {"hoopCommInitMPI: bad size band", kArg, kThread, "config algorithm='allreduce:ring@<4Q'",
       initWith([](hoopConfig_t* c) { c->algorithm = "allreduce:ring@<4Q"; })},
      {"hoopCommInitMPI: segmentBytes too small", kArg, kThread, "segmentBytes 1 is outside 64..INT_MAX",
       initWith([](hoopConfig_t* c) { c->segmentBytes = 1; })},
      {"hoopCommInitMPI: segmentBytes too large", kArg, kThread, "segmentBytes 2147483648 is outside",
       initWith([](hoopConfig_t* c) { c->segmentBytes = static_cast<size_t>(INT_MAX) + 1; })},
      {"hoopCommInitMPI: negative pipelineDepth", kArg, kThread, "pipelineDepth -1 is outside 1..64",
       initWith([](hoopConfig_t* c) { c->pipelineDepth = -1; })},
      {"hoopCommInitMPI: pipelineDepth too large", kArg, kThread, "pipelineDepth 65 is outside",
       initWith([](hoopConfig_t* c) { c->pipelineDepth = 65; })},
      {"hoopCommInitMPI: NaN timeoutSeconds", kArg, kThread, "timeoutSeconds nan",
       initWith([](hoopConfig_t* c) { c->timeoutSeconds = std::nan(""); })},
      {"hoopCommInitMPI: timeoutSeconds too large", kArg, kThread, "timeoutSeconds 1e+12",
       initWith([](hoopConfig_t* c) { c->timeoutSeconds = 1e12; })},

      {"hoopCommInitNcclMPI: NULL comm", kArg, kThread, "comm is NULL",
       [&] { return hoopCommInitNcclMPI(nullptr, MPI_COMM_WORLD, 0, nullptr); }},
      {"hoopCommInitCudaMPI: NULL comm", kArg, kThread, "comm is NULL",
       [&] { return hoopCommInitCudaMPI(nullptr, MPI_COMM_WORLD, 0, nullptr); }},
      {"hoopCommInitAll: NULL comms", kArg, kThread, "comms is NULL", [&] { return hoopCommInitAll(nullptr, 1, nullptr); }},
      {"hoopCommInitAll: ndev 0", kArg, kThread, "ndev is 0", [&] {
         hoopComm_t made = nullptr;
         return hoopCommInitAll(&made, 0, nullptr);
       }},
      {"hoopCommInitAll: ndev -1", kArg, kThread, "ndev is -1", [&] {
         hoopComm_t made = nullptr;
         return hoopCommInitAll(&made, -1, nullptr);
       }},
      {"hoopGroupEnd: without hoopGroupStart", kUsage, kThread, "no matching hoopGroupStart in this thread",
       [&] { return hoopGroupEnd(); }},
      {"hoopGroupStart: host collectives run at once inside a group", kOk, kThread, "", [&] {
         EXPECT_EQ(hoopSuccess, hoopGroupStart());
         int one = 1, sum = 0;
         const hoopResult_t result = hoopAllReduce(&one, &sum, 1, hoopInt32, hoopSum, live, nullptr);
         EXPECT_EQ(sum, nranks);
         EXPECT_EQ(hoopSuccess, hoopGroupEnd());
         return result;
       }},

      {"hoopCommRank: NULL comm", kArg, kThread, "comm is NULL", [&] {
         int value = 0;
         return hoopCommRank(nullptr, &value);
       }},
      {"hoopCommRank: NULL rank", kArg, live, "rank is NULL", [&] { return hoopCommRank(live, nullptr); }},
      {"hoopCommCount: NULL comm", kArg, kThread, "comm is NULL", [&] {
         int value = 0;
         return hoopCommCount(nullptr, &value);
       }},
      {"hoopCommCount: NULL count", kArg, live, "count is NULL", [&] { return hoopCommCount(live, nullptr); }},
      {"hoopCommCuDevice: NULL comm", kArg, kThread, "comm is NULL", [&] {
         int value = 0;
         return hoopCommCuDevice(nullptr, &value);
       }},
      {"hoopCommCuDevice: NULL device", kArg, live, "device is NULL", [&] { return hoopCommCuDevice(live, nullptr); }},
      {"hoopCommCuDevice: host communicator gives -1", kOk, live, "", [&] {
         int device = 7;
         const hoopResult_t result = hoopCommCuDevice(live, &device);
         EXPECT_EQ(-1, device);
         return result;
       }},
      {"hoopCommAbort: NULL comm", kOk, kThread, "", [&] { return hoopCommAbort(nullptr); }},
      {"hoopCommDestroy: NULL comm", kOk, kThread, "", [&] { return hoopCommDestroy(nullptr); }},

      {"hoopAllReduce: NULL comm", kArg, kThread, "comm is NULL",
       [&] { return hoopAllReduce(a, b, 8, hoopFloat32, hoopSum, nullptr, nullptr); }},
      {"hoopAllReduce: NULL sendbuff", kArg, live, "sendbuff is NULL with count 8",
       [&] { return hoopAllReduce(nullptr, b, 8, hoopFloat32, hoopSum, live, nullptr); }},
      {"hoopAllReduce: NULL recvbuff", kArg, live, "recvbuff is NULL with count 8",
       [&] { return hoopAllReduce(a, nullptr, 8, hoopFloat32, hoopSum, live, nullptr); }},
      {"hoopAllReduce: NULL buffers with count 0", kOk, live, "",
       [&] { return hoopAllReduce(nullptr, nullptr, 0, hoopFloat32, hoopSum, live, nullptr); }},
      {"hoopAllReduce: partly overlapping buffers", kArg, live, "overlap; for in place pass the same pointer",
       [&] { return hoopAllReduce(a, a + 1, 8, hoopFloat32, hoopSum, live, nullptr); }},
      {"hoopAllReduce: bytes overflow size_t", kArg, live, "overflows the address space",
       [&] { return hoopAllReduce(a, b, wraps, hoopFloat32, hoopSum, live, nullptr); }},
      {"hoopAllReduce: bytes beyond PTRDIFF_MAX", kArg, live, "overflows the address space",
       [&] { return hoopAllReduce(a, b, tooLarge, hoopFloat32, hoopSum, live, nullptr); }},
      {"hoopAllReduce: stream on a host communicator", kArg, live, "stream must be NULL for a host communicator",
       [&] { return hoopAllReduce(a, b, 8, hoopFloat32, hoopSum, live, stream); }},

      {"hoopBroadcast: NULL comm", kArg, kThread, "comm is NULL",
       [&] { return hoopBroadcast(a, b, 8, hoopFloat32, 0, nullptr, nullptr); }},
      {"hoopBroadcast: NULL recvbuff", kArg, live, "recvbuff is NULL with count 8",
       [&] { return hoopBroadcast(a, nullptr, 8, hoopFloat32, 0, live, nullptr); }},
      {"hoopBroadcast: NULL sendbuff on the root", kArg, live, "sendbuff is NULL with count 8",
       [&] { return hoopBroadcast(nullptr, b, 8, hoopFloat32, rank, live, nullptr); }},
      {"hoopBroadcast: NULL sendbuff off the root", kOk, live, "",
       [&] { return hoopBroadcast(rank == 0 ? a : nullptr, b, 8, hoopFloat32, 0, live, nullptr); }},
      {"hoopBroadcast: NULL buffers with count 0", kOk, live, "",
       [&] { return hoopBroadcast(nullptr, nullptr, 0, hoopFloat32, 0, live, nullptr); }},
      {"hoopBroadcast: partly overlapping buffers", kArg, live, "overlap; for in place pass the same pointer",
       [&] { return hoopBroadcast(a, a + 1, 8, hoopFloat32, rank, live, nullptr); }},
      {"hoopBroadcast: bytes overflow size_t", kArg, live, "overflows the address space",
       [&] { return hoopBroadcast(a, b, wraps, hoopFloat32, 0, live, nullptr); }},
      {"hoopBroadcast: bytes beyond PTRDIFF_MAX", kArg, live, "overflows the address space",
       [&] { return hoopBroadcast(a, b, tooLarge, hoopFloat32, 0, live, nullptr); }},
      {"hoopBroadcast: stream on a host communicator", kArg, live, "stream must be NULL",
       [&] { return hoopBroadcast(a, b, 8, hoopFloat32, 0, live, stream); }},

      {"hoopReduce: NULL comm", kArg, kThread, "comm is NULL",
       [&] { return hoopReduce(a, b, 8, hoopFloat32, hoopSum, 0, nullptr, nullptr); }},
      {"hoopReduce: NULL sendbuff", kArg, live, "sendbuff is NULL with count 8",
       [&] { return hoopReduce(nullptr, b, 8, hoopFloat32, hoopSum, 0, live, nullptr); }},
      {"hoopReduce: NULL recvbuff on the root", kArg, live, "recvbuff is NULL with count 8",
       [&] { return hoopReduce(a, nullptr, 8, hoopFloat32, hoopSum, rank, live, nullptr); }},
      {"hoopReduce: NULL recvbuff off the root", kOk, live, "",
       [&] { return hoopReduce(a, rank == 0 ? b : nullptr, 8, hoopFloat32, hoopSum, 0, live, nullptr); }},
      {"hoopReduce: NULL buffers with count 0", kOk, live, "",
       [&] { return hoopReduce(nullptr, nullptr, 0, hoopFloat32, hoopSum, 0, live, nullptr); }},
      {"hoopReduce: partly overlapping buffers", kArg, live, "overlap; for in place pass the same pointer",
       [&] { return hoopReduce(a, a + 1, 8, hoopFloat32, hoopSum, rank, live, nullptr); }},
      {"hoopReduce: bytes overflow size_t", kArg, live, "overflows the address space",
       [&] { return hoopReduce(a, b, wraps, hoopFloat32, hoopSum, 0, live, nullptr); }},
      {"hoopReduce: bytes beyond PTRDIFF_MAX", kArg, live, "overflows the address space",
       [&] { return hoopReduce(a, b, tooLarge, hoopFloat32, hoopSum, 0, live, nullptr); }},
      {"hoopReduce: stream on a host communicator", kArg, live, "stream must be NULL",
       [&] { return hoopReduce(a, b, 8, hoopFloat32, hoopSum, 0, live, stream); }},

      {"hoopAllGather: NULL comm", kArg, kThread, "comm is NULL",
       [&] { return hoopAllGather(a, g, 8, hoopFloat32, nullptr, nullptr); }},
      {"hoopAllGather: NULL sendbuff", kArg, live, "sendbuff is NULL with count 8",
       [&] { return hoopAllGather(nullptr, g, 8, hoopFloat32, live, nullptr); }},
      {"hoopAllGather: NULL recvbuff", kArg, live, "recvbuff is NULL with count " + std::to_string(8 * nranks),
       [&] { return hoopAllGather(a, nullptr, 8, hoopFloat32, live, nullptr); }},
      {"hoopAllGather: NULL buffers with count 0", kOk, live, "",
       [&] { return hoopAllGather(nullptr, nullptr, 0, hoopFloat32, live, nullptr); }},
      {"hoopAllGather: overlap other than in place", kArg, live, "for in place pass sendbuff = recvbuff + rank * sendcount",
       [&] { return hoopAllGather(g + mine + 1, g, 8, hoopFloat32, live, nullptr); }},
      {"hoopAllGather: in place (sendbuff = recvbuff + rank * sendcount)", kOk, live, "",
       [&] { return hoopAllGather(g + mine, g, 8, hoopFloat32, live, nullptr); }},
      {"hoopAllGather: bytes overflow size_t", kArg, live, "overflows",
       [&] { return hoopAllGather(a, g, wraps, hoopFloat32, live, nullptr); }},
      {"hoopAllGather: bytes beyond PTRDIFF_MAX", kArg, live, "overflows",
       [&] { return hoopAllGather(a, g, tooLarge, hoopFloat32, live, nullptr); }},
      {"hoopAllGather: stream on a host communicator", kArg, live, "stream must be NULL",
       [&] { return hoopAllGather(a, g, 8, hoopFloat32, live, stream); }},

      {"hoopReduceScatter: NULL comm", kArg, kThread, "comm is NULL",
       [&] { return hoopReduceScatter(g, b, 8, hoopFloat32, hoopSum, nullptr, nullptr); }},
      {"hoopReduceScatter: NULL sendbuff", kArg, live, "sendbuff is NULL with count " + std::to_string(8 * nranks),
       [&] { return hoopReduceScatter(nullptr, b, 8, hoopFloat32, hoopSum, live, nullptr); }},
      {"hoopReduceScatter: NULL recvbuff", kArg, live, "recvbuff is NULL with count 8",
       [&] { return hoopReduceScatter(g, nullptr, 8, hoopFloat32, hoopSum, live, nullptr); }},
      {"hoopReduceScatter: NULL buffers with count 0", kOk, live, "",
       [&] { return hoopReduceScatter(nullptr, nullptr, 0, hoopFloat32, hoopSum, live, nullptr); }},
      {"hoopReduceScatter: overlap other than in place", kArg, live,
       "for in place pass recvbuff = sendbuff + rank * recvcount",
       [&] { return hoopReduceScatter(g, g + mine + 1, 8, hoopFloat32, hoopSum, live, nullptr); }},
      {"hoopReduceScatter: in place (recvbuff = sendbuff + rank * recvcount)", kOk, live, "",
       [&] { return hoopReduceScatter(g, g + mine, 8, hoopFloat32, hoopSum, live, nullptr); }},
      {"hoopReduceScatter: bytes overflow size_t", kArg, live, "overflows",
       [&] { return hoopReduceScatter(g, b, wraps, hoopFloat32, hoopSum, live, nullptr); }},
      {"hoopReduceScatter: bytes beyond PTRDIFF_MAX", kArg, live, "overflows",
       [&] { return hoopReduceScatter(g, b, tooLarge, hoopFloat32, hoopSum, live, nullptr); }},
      {"hoopReduceScatter: stream on a host communicator", kArg, live, "stream must be NULL",
       [&] { return hoopReduceScatter(g, b, 8, hoopFloat32, hoopSum, live, stream); }},

      {"hoopBarrier: NULL comm", kArg, kThread, "comm is NULL", [&] { return hoopBarrier(nullptr); }},

      {"hoopAllReduceAsync: NULL comm", kArg, kThread, "comm is NULL",
       [&] { return async(a, b, 8, hoopFloat32, hoopSum, nullptr); }},
      {"hoopAllReduceAsync: NULL request", kArg, live, "request is NULL",
       [&] { return hoopAllReduceAsync(a, b, 8, hoopFloat32, hoopSum, live, nullptr); }},
      {"hoopAllReduceAsync: NULL sendbuff", kArg, live, "sendbuff is NULL with count 8",
       [&] { return async(nullptr, b, 8, hoopFloat32, hoopSum, live); }},
      {"hoopAllReduceAsync: NULL recvbuff", kArg, live, "recvbuff is NULL with count 8",
       [&] { return async(a, nullptr, 8, hoopFloat32, hoopSum, live); }},
      {"hoopAllReduceAsync: partly overlapping buffers", kArg, live, "overlap; for in place pass the same pointer",
       [&] { return async(a, a + 1, 8, hoopFloat32, hoopSum, live); }},
      {"hoopAllReduceAsync: bytes overflow size_t", kArg, live, "overflows the address space",
       [&] { return async(a, b, wraps, hoopFloat32, hoopSum, live); }},
      {"hoopAllReduceAsync: bytes beyond PTRDIFF_MAX", kArg, live, "overflows the address space",
       [&] { return async(a, b, tooLarge, hoopFloat32, hoopSum, live); }},

      {"hoopTest: NULL request", kArg, kThread, "request is NULL", [&] {
         int done = 0;
         return hoopTest(nullptr, &done);
       }},
      {"hoopTest: NULL done", kArg, kThread, "done is NULL", [&] {
         hoopRequest_t request = nullptr;
         return hoopTest(&request, nullptr);
       }},
      {"hoopTest: request not live", kArg, kThread, "is not a live request", [&] {
         hoopRequest_t request = notLive;
         int done = 0;
         return hoopTest(&request, &done);
       }},
      {"hoopTest: completed (NULL) request", kOk, kThread, "", [&] {
         hoopRequest_t request = nullptr;
         int done = 0;
         const hoopResult_t result = hoopTest(&request, &done);
         EXPECT_EQ(1, done);
         return result;
       }},
      {"hoopWait: NULL request", kArg, kThread, "request is NULL", [&] { return hoopWait(nullptr); }},
      {"hoopWait: request not live", kArg, kThread, "is not a live request", [&] {
         hoopRequest_t request = notLive;
         return hoopWait(&request);
       }},
      {"hoopWait: completed (NULL) request", kOk, kThread, "", [&] {
         hoopRequest_t request = nullptr;
         return hoopWait(&request);
       }},
  };

  // Unknown datatypes and ops: below, at and far above the valid range. The lambdas keep an
  // int and convert at the call, as a C caller passes one: in C++ an enum object holding a
  // value outside the enum's range is undefined behaviour.
  for (int type : {-1, static_cast<int>(hoopNumTypes), 99}) {
    const std::string says = "unknown datatype " + std::to_string(type) + " (valid: 0..9)";
    rows.push_back({"hoopAllReduce: datatype " + std::to_string(type), kArg, live, says,
                    [=] { return hoopAllReduce(a, b, 8, static_cast<hoopDataType_t>(type), hoopSum, live, nullptr); }});
    rows.push_back({"hoopBroadcast: datatype " + std::to_string(type), kArg, live, says,
                    [=] { return hoopBroadcast(a, b, 8, static_cast<hoopDataType_t>(type), 0, live, nullptr); }});
    rows.push_back({"hoopReduce: datatype " + std::to_string(type), kArg, live, says,
                    [=] { return hoopReduce(a, b, 8, static_cast<hoopDataType_t>(type), hoopSum, 0, live, nullptr); }});
    rows.push_back({"hoopAllGather: datatype " + std::to_string(type), kArg, live, says,
                    [=] { return hoopAllGather(a, g, 8, static_cast<hoopDataType_t>(type), live, nullptr); }});
    rows.push_back({"hoopReduceScatter: datatype " + std::to_string(type), kArg, live, says,
                    [=] { return hoopReduceScatter(g, b, 8, static_cast<hoopDataType_t>(type), hoopSum, live, nullptr); }});
    rows.push_back({"hoopAllReduceAsync: datatype " + std::to_string(type), kArg, live, says,
                    [=] { return async(a, b, 8, type, hoopSum, live); }});
  }
  for (int op : {-1, static_cast<int>(hoopNumOps), 99}) {
    const std::string says = "unknown reduction op " + std::to_string(op) + " (valid: 0..4)";
    rows.push_back({"hoopAllReduce: op " + std::to_string(op), kArg, live, says,
                    [=] { return hoopAllReduce(a, b, 8, hoopFloat32, static_cast<hoopRedOp_t>(op), live, nullptr); }});
    rows.push_back({"hoopReduce: op " + std::to_string(op), kArg, live, says,
                    [=] { return hoopReduce(a, b, 8, hoopFloat32, static_cast<hoopRedOp_t>(op), 0, live, nullptr); }});
    rows.push_back({"hoopReduceScatter: op " + std::to_string(op), kArg, live, says,
                    [=] { return hoopReduceScatter(g, b, 8, hoopFloat32, static_cast<hoopRedOp_t>(op), live, nullptr); }});
    rows.push_back({"hoopAllReduceAsync: op " + std::to_string(op), kArg, live, says,
                    [=] { return async(a, b, 8, hoopFloat32, op, live); }});
  }
  for (int root : {-1, nranks, INT_MAX}) {
    const std::string says = "root " + std::to_string(root) + " is not a rank of this communicator (valid: 0..";
    rows.push_back({"hoopBroadcast: root " + std::to_string(root), kArg, live, says,
                    [=] { return hoopBroadcast(a, b, 8, hoopFloat32, root, live, nullptr); }});
    rows.push_back({"hoopReduce: root " + std::to_string(root), kArg, live, says,
                    [=] { return hoopReduce(a, b, 8, hoopFloat32, hoopSum, root, live, nullptr); }});
  }

  // A destroyed handle is refused (message on the thread); an aborted communicator refuses
  // all but hoopCommAbort and, last, hoopCommDestroy.
  for (hoopComm_t c : {dead, aborted}) {
    const bool isDead = c == dead;
    const hoopResult_t code = isDead ? kArg : kUsage;
    const hoopComm_t on = isDead ? kThread : aborted;
    const std::string says = isDead ? deadSays : abortedSays;
    const std::string which = isDead ? ": destroyed communicator" : ": aborted communicator";
    int* out = &scratch;
    rows.push_back({"hoopCommRank" + which, code, on, says, [=] { return hoopCommRank(c, out); }});
    rows.push_back({"hoopCommCount" + which, code, on, says, [=] { return hoopCommCount(c, out); }});
    rows.push_back({"hoopCommCuDevice" + which, code, on, says, [=] { return hoopCommCuDevice(c, out); }});
    rows.push_back({"hoopAllReduce" + which, code, on, says,
                    [=] { return hoopAllReduce(a, b, 8, hoopFloat32, hoopSum, c, nullptr); }});
    rows.push_back({"hoopBroadcast" + which, code, on, says,
                    [=] { return hoopBroadcast(a, b, 8, hoopFloat32, 0, c, nullptr); }});
    rows.push_back({"hoopReduce" + which, code, on, says,
                    [=] { return hoopReduce(a, b, 8, hoopFloat32, hoopSum, 0, c, nullptr); }});
    rows.push_back({"hoopAllGather" + which, code, on, says, [=] { return hoopAllGather(a, g, 8, hoopFloat32, c, nullptr); }});
    rows.push_back({"hoopReduceScatter" + which, code, on, says,
                    [=] { return hoopReduceScatter(g, b, 8, hoopFloat32, hoopSum, c, nullptr); }});
    rows.push_back({"hoopBarrier" + which, code, on, says, [=] { return hoopBarrier(c); }});
    rows.push_back({"hoopAllReduceAsync" + which, code, on, says, [=] { return async(a, b, 8, hoopFloat32, hoopSum, c); }});
    rows.push_back({"hoopCommAbort" + which, isDead ? kArg : kOk, on, isDead ? deadSays : "",
                    [=] { return hoopCommAbort(c); }});
    rows.push_back({"hoopCommDestroy" + which, isDead ? kArg : kOk, on, isDead ? deadSays : "",
                    [=] { return hoopCommDestroy(c); }});
  }

  // Without CUDA or NCCL the device communicators are refused as hoop_cuda.h and hoop_mpi.h
  // say; with them, the answer depends on the GPUs present (tests/gpu covers those builds).
#if HOOP_TEST_HAVE_CUDA
  rows.push_back({"hoopCommInitCudaMPI: config magic", kArg, kThread, "HOOP_CONFIG_INITIALIZER", [&] {
                    hoopConfig_t config = HOOP_CONFIG_INITIALIZER;
                    config.magic = 0;
                    hoopComm_t made = reinterpret_cast<hoopComm_t>(junk);
                    const hoopResult_t result = hoopCommInitCudaMPI(&made, MPI_COMM_WORLD, 0, &config);
                    EXPECT_EQ(nullptr, made);
                    return result;
                  }});
#else
  rows.push_back({"hoopCommInitAll: built without CUDA", kUsage, kThread, "built without CUDA", [&] {
                    hoopComm_t made = reinterpret_cast<hoopComm_t>(junk);
                    const hoopResult_t result = hoopCommInitAll(&made, 1, nullptr);
                    EXPECT_EQ(nullptr, made);
                    return result;
                  }});
  rows.push_back({"hoopCommInitCudaMPI: built without CUDA", kUsage, kThread, "built without CUDA", [&] {
                    hoopComm_t made = reinterpret_cast<hoopComm_t>(junk);
                    const hoopResult_t result = hoopCommInitCudaMPI(&made, MPI_COMM_WORLD, 0, nullptr);
                    EXPECT_EQ(nullptr, made);
                    return result;
                  }});
#endif
#if HOOP_TEST_HAVE_NCCL
  rows.push_back({"hoopCommInitNcclMPI: config magic", kArg, kThread, "HOOP_CONFIG_INITIALIZER", [&] {
                    hoopConfig_t config = HOOP_CONFIG_INITIALIZER;
                    config.magic = 0;
                    hoopComm_t made = nullptr;
                    return hoopCommInitNcclMPI(&made, MPI_COMM_WORLD, 0, &config);
                  }});
#else
  rows.push_back({"hoopCommInitNcclMPI: built without NCCL", kUsage, kThread, "built without NCCL", [&] {
                    hoopComm_t made = reinterpret_cast<hoopComm_t>(junk);
                    const hoopResult_t result = hoopCommInitNcclMPI(&made, MPI_COMM_WORLD, 0, nullptr);
                    EXPECT_EQ(nullptr, made);
                    return result;
                  }});
#endif

  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const std::string function = row.name.substr(0, row.name.find(':'));
    plantOtherMessage(row.errorOn, function);
    const hoopResult_t result = row.call();
    const std::string message = hoopGetLastError(row.errorOn);
    EXPECT_EQ(hoopGetErrorString(row.expected), std::string(hoopGetErrorString(result))) << row.name << ": " << message;
    if (row.expected != hoopSuccess) {
      EXPECT_NE(std::string::npos, message.find(function + ": ")) << row.name << ": '" << message << "'";
      EXPECT_NE(std::string::npos, message.find(row.says)) << row.name << ": '" << message << "'";
    }
    expectExactAllReduce(live, row.name);
  }
  // A handle that is no live communicator reads the thread's message, as NULL does.
  EXPECT_STREQ(hoopGetLastError(nullptr), hoopGetLastError(dead));
  EXPECT_EQ(hoopSuccess, hoopCommDestroy(live));
}

TEST_F(ApiErrors, BuffersOnlyWhereTheyAreUsed) {
  // Broadcast reads sendbuff on the root only; reduce writes recvbuff on the root only.
  const int root = nranks - 1;
  std::vector<float> a(8, 1.0f), b(8, 0.0f);
  std::vector<float> data(8, rank == root ? 2.0f : 0.0f);
  ASSERT_EQ(hoopSuccess, hoopBroadcast(rank == root ? data.data() : nullptr, b.data(), 8, hoopFloat32, root, comm, nullptr))
      << hoopGetLastError(comm);
  EXPECT_EQ(b[7], 2.0f);
  ASSERT_EQ(hoopSuccess, hoopReduce(a.data(), rank == root ? b.data() : nullptr, 8, hoopFloat32, hoopSum, root, comm, nullptr))
      << hoopGetLastError(comm);
  if (rank == root) {
    EXPECT_EQ(b[3], static_cast<float>(nranks));
  }
}

TEST(ApiStrings, EveryResultHasAName) {
  for (int r = 0; r < hoopNumResults; ++r) {
    const char* name = hoopGetErrorString(static_cast<hoopResult_t>(r));
    ASSERT_NE(name, nullptr);
    EXPECT_GT(strlen(name), 0u);
    EXPECT_STRNE(name, "unknown result code") << r;
  }
  for (int r : {-1, static_cast<int>(hoopNumResults), 99}) {
    EXPECT_STREQ(hoopGetErrorString(static_cast<hoopResult_t>(r)), "unknown result code") << r;
  }
  EXPECT_STREQ(hoopGetErrorString(hoopSuccess), "no error");
  int version = 0;
  ASSERT_EQ(hoopSuccess, hoopGetVersion(&version));
  EXPECT_EQ(version, HOOP_VERSION_CODE);
}

// Where a result's name advises a log level for details, the level is one that logs more than
// the default (WARN): INFO or TRACE.
TEST(ApiStrings, DebugAdviceNamesALevelAboveTheDefault) {
  int advised = 0;
  for (int r = 0; r < hoopNumResults; ++r) {
    const char* advice = strstr(hoopGetErrorString(static_cast<hoopResult_t>(r)), "HOOP_DEBUG=");
    if (advice == nullptr) continue;
    ++advised;
    const std::string level(advice + strlen("HOOP_DEBUG="), strcspn(advice + strlen("HOOP_DEBUG="), " )"));
    EXPECT_TRUE(level == "INFO" || level == "TRACE") << hoopGetErrorString(static_cast<hoopResult_t>(r));
  }
  EXPECT_GT(advised, 0);
}

}  // namespace
