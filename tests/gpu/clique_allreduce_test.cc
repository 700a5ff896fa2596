// hoopAllReduce on single-process cliques (hoopCommInitAll) of 1 to 8 logical ranks on one
// device (and across devices when there are several): exact results for every datatype x op
// from tests/support/exact_data.h, odd counts, in place and out of place, bitwise identical
// on every rank and on a repeat; one thread driving all ranks in a group, and one thread per
// rank without a group. Then the errors: ranks that disagree, a lone call that times out,
// HOOP_ALGO=nccl on a clique, bad device lists, asynchronous requests and the trainer on a
// device communicator.
#include <stdlib.h>
#include <string.h>

#include <memory>
#include <thread>
#include <vector>

#include "exact_data.h"
#include "gpu_test.h"
#include "hoop/hoop_cuda.h"
#include "hoop/trainer.h"

namespace hoop {
namespace {

using gputest::DeviceBuffer;
using testing::datatypeName;
using testing::opName;

enum class Driver { OneThreadGroup, ThreadPerRank };

struct Clique {
  explicit Clique(const std::vector<int>& devices) : comms(devices.size()), streams(devices.size()) {
    const hoopResult_t result = hoopCommInitAll(comms.data(), static_cast<int>(devices.size()), devices.data());
    CHECK(result == hoopSuccess, "hoopCommInitAll(%zu): %s", devices.size(), hoopGetLastError(nullptr));
    for (size_t r = 0; r < devices.size(); ++r) {
      CHECK_CUDA(cudaSetDevice(devices[r]));
      CHECK_CUDA(cudaStreamCreateWithFlags(&streams[r], cudaStreamNonBlocking));
    }
  }
  ~Clique() {
    for (size_t r = 0; r < comms.size(); ++r) {
      cudaStreamDestroy(streams[r]);
      hoopCommDestroy(comms[r]);
    }
  }
  std::vector<hoopComm_t> comms;
  std::vector<cudaStream_t> streams;
};

// Runs one all-reduce on every rank of the clique; the results of the calls.
std::vector<hoopResult_t> allReduce(Clique& clique, const std::vector<char*>& send, const std::vector<char*>& recv,
                                    const std::vector<size_t>& counts, const std::vector<hoopDataType_t>& types,
                                    hoopRedOp_t op, Driver driver) {
  const size_t n = clique.comms.size();
  std::vector<hoopResult_t> results(n, hoopSuccess);
  auto call = [&](size_t r) {
    results[r] = hoopAllReduce(send[r], recv[r], counts[r], types[r], op, clique.comms[r], clique.streams[r]);
  };
  if (driver == Driver::OneThreadGroup) {
    hoopGroupStart();
    for (size_t r = 0; r < n; ++r) call(r);
    const hoopResult_t end = hoopGroupEnd();
    for (size_t r = 0; r < n; ++r) {
      if (results[r] == hoopSuccess) results[r] = end;
    }
  } else {
    std::vector<std::thread> threads;
    for (size_t r = 0; r < n; ++r) threads.emplace_back(call, r);
    for (std::thread& thread : threads) thread.join();
  }
  for (size_t r = 0; r < n; ++r) CHECK_CUDA(cudaStreamSynchronize(clique.streams[r]));
  return results;
}

void checkExact(Clique& clique, const std::vector<int>& devices, hoopDataType_t datatype, hoopRedOp_t op, size_t count,
                bool inPlace, Driver driver) {
  const int n = static_cast<int>(devices.size());
  const size_t bytes = count * testing::typeSize(datatype);
  std::vector<std::unique_ptr<DeviceBuffer>> inputs, outputs;
  std::vector<char*> send, recv;
  std::vector<char> host(bytes + 1);
  for (int r = 0; r < n; ++r) {
    CHECK_CUDA(cudaSetDevice(devices[r]));
    inputs.push_back(std::make_unique<DeviceBuffer>(bytes));
    outputs.push_back(std::make_unique<DeviceBuffer>(bytes));
    testing::fillExactInput(host.data(), datatype, op, r, count);
    CHECK_CUDA(cudaMemcpy(inputs[r]->get(), host.data(), bytes, cudaMemcpyHostToDevice));
    send.push_back(inputs[r]->get());
    recv.push_back(inPlace ? inputs[r]->get() : outputs[r]->get());
  }
  std::vector<char> expected(bytes + 1);
  testing::fillExpected(expected.data(), datatype, op, n, count);
  const char* how = inPlace ? "in place" : "out of place";
  for (int repeat = 0; repeat < 2; ++repeat) {
    if (inPlace && repeat > 0) {
      for (int r = 0; r < n; ++r) {
        testing::fillExactInput(host.data(), datatype, op, r, count);
        CHECK_CUDA(cudaMemcpy(inputs[r]->get(), host.data(), bytes, cudaMemcpyHostToDevice));
      }
    }
    const std::vector<hoopResult_t> results = allReduce(clique, send, recv, std::vector<size_t>(n, count),
                                                        std::vector<hoopDataType_t>(n, datatype), op, driver);
    for (int r = 0; r < n; ++r) {
      CHECK(results[r] == hoopSuccess, "rank %d/%d %s %s count %zu: %s", r, n, datatypeName(datatype), opName(op), count,
            hoopGetLastError(clique.comms[r]));
      CHECK_CUDA(cudaMemcpy(host.data(), recv[r], bytes, cudaMemcpyDeviceToHost));
      CHECK(memcmp(host.data(), expected.data(), bytes) == 0, "rank %d of %d, %s %s count %zu %s, repeat %d: wrong result",
            r, n, datatypeName(datatype), opName(op), count, how, repeat);
    }
  }
}

void checkErrors(int device) {
  {
    Clique clique({device, device});
    DeviceBuffer a(64), b(64);
    const std::vector<hoopResult_t> results =
        allReduce(clique, {a.get(), b.get()}, {a.get(), b.get()}, {4, 4}, {hoopFloat32, hoopInt32}, hoopSum,
                  Driver::OneThreadGroup);
    CHECK(results[0] == hoopInvalidUsage && results[1] == hoopInvalidUsage,
          "ranks calling with different datatypes: got %d and %d", results[0], results[1]);
    const std::vector<hoopResult_t> counts =
        allReduce(clique, {a.get(), b.get()}, {a.get(), b.get()}, {16, 4}, {hoopFloat32, hoopFloat32}, hoopSum,
                  Driver::OneThreadGroup);
    CHECK(counts[0] == hoopInvalidUsage, "ranks calling with different counts: got %d (%s)", counts[0],
          hoopGetLastError(nullptr));
    const std::vector<hoopResult_t> after =
        allReduce(clique, {a.get(), b.get()}, {a.get(), b.get()}, {4, 4}, {hoopFloat32, hoopFloat32}, hoopSum,
                  Driver::OneThreadGroup);
    CHECK(after[0] == hoopSuccess && after[1] == hoopSuccess, "the clique stays usable after a mismatch");
    CHECK(hoopAllReduce(a.get(), a.get(), 4, hoopFloat32, static_cast<hoopRedOp_t>(9), clique.comms[0], nullptr) ==
              hoopInvalidArgument, "a bad op is an argument error on a device communicator");
  }
  {
    setenv("HOOP_TIMEOUT", "1", 1);
    Clique clique({device, device});
    unsetenv("HOOP_TIMEOUT");
    DeviceBuffer a(64);
    const hoopResult_t lone = hoopAllReduce(a.get(), a.get(), 4, hoopFloat32, hoopSum, clique.comms[0], clique.streams[0]);
    CHECK(lone == hoopTimeout, "a lone call without a group times out: got %d", lone);
    CHECK(strstr(hoopGetLastError(clique.comms[0]), "hoopGroupStart") != nullptr, "the timeout names the remedy: %s",
          hoopGetLastError(clique.comms[0]));
  }
  {
    setenv("HOOP_ALGO", "nccl", 1);
    Clique clique({device});
    unsetenv("HOOP_ALGO");
    DeviceBuffer a(64);
    CHECK(hoopAllReduce(a.get(), a.get(), 4, hoopFloat32, hoopSum, clique.comms[0], nullptr) == hoopInvalidUsage,
          "HOOP_ALGO=nccl on a clique is refused");
  }
  int deviceCount = 0;
  CHECK_CUDA(cudaGetDeviceCount(&deviceCount));
  hoopComm_t comms[2] = {nullptr, nullptr};
  const int bad[2] = {device, deviceCount};
  CHECK(hoopCommInitAll(comms, 2, bad) == hoopInvalidArgument && comms[0] == nullptr, "a device out of range: %s",
        hoopGetLastError(nullptr));
  CHECK(hoopCommInitAll(comms, deviceCount + 1, nullptr) == hoopInvalidArgument, "NULL devlist with too many ranks");
  CHECK(hoopCommInitAll(comms, 1, &device) == hoopSuccess, "one rank");
  int cuDevice = -2;
  CHECK(hoopCommCuDevice(comms[0], &cuDevice) == hoopSuccess && cuDevice == device, "hoopCommCuDevice");
  DeviceBuffer a(64);
  hoopRequest_t request = nullptr;
  CHECK(hoopAllReduceAsync(a.get(), a.get(), 4, hoopFloat32, hoopSum, comms[0], &request) == hoopInvalidUsage &&
            request == nullptr, "asynchronous requests are refused on a device communicator");
  std::unique_ptr<Trainer> trainer;
  CHECK(Trainer::create(comms[0], TrainerOptions(), &trainer) == hoopInvalidUsage && trainer == nullptr,
        "the trainer refuses a device communicator: %s", hoopGetLastError(comms[0]));
  hoopCommDestroy(comms[0]);
}

}  // namespace
}  // namespace hoop

int main() {
  using namespace hoop;
  const int deviceCount = gputest::devicesOrSkip(1);
  const size_t counts[] = {0, 1, 2, 9, 1000, 4099, 65537};
  for (int n = 1; n <= 8; ++n) {
    const std::vector<int> oneDevice(static_cast<size_t>(n), 0);
    Clique clique(oneDevice);
    for (int t = 0; t < hoopNumTypes; ++t) {
      for (int o = 0; o < hoopNumOps; ++o) {
        for (size_t count : counts) {
          for (bool inPlace : {false, true}) {
            checkExact(clique, oneDevice, static_cast<hoopDataType_t>(t), static_cast<hoopRedOp_t>(o), count, inPlace,
                       Driver::OneThreadGroup);
          }
        }
      }
    }
    checkExact(clique, oneDevice, hoopFloat32, hoopAvg, (size_t{1} << 22) + 7, false, Driver::ThreadPerRank);
    checkExact(clique, oneDevice, hoopBfloat16, hoopSum, 4099, true, Driver::ThreadPerRank);
    if (deviceCount > 1) {
      std::vector<int> spread;
      for (int r = 0; r < n; ++r) spread.push_back(r % deviceCount);
      Clique spreadClique(spread);
      checkExact(spreadClique, spread, hoopFloat16, hoopSum, 65537, false, Driver::OneThreadGroup);
      checkExact(spreadClique, spread, hoopInt64, hoopProd, 4099, true, Driver::ThreadPerRank);
    }
  }
  checkErrors(0);
  return gputest::finish();
}
