// Fusion buckets: which gradients travel together in one collective.
//
// Backward produces gradients in the reverse of the order the layers were registered, so
// buckets are filled walking the tensors from the last registered to the first. A bucket
// closes when the next tensor would push it past its byte cap, or has another datatype (a
// collective has one). The first bucket has a small cap of its own so that communication
// starts after the first few gradients instead of after 25 MiB of them (PyTorch DDP does the
// same); every later bucket uses the main cap. A tensor larger than the cap gets a bucket of
// its own. Fewer, larger buckets cost fewer collective latencies; smaller ones start sooner
// and overlap more of backward.
//
// Parameter-server mode shards the buckets over the servers. Each bucket, in issue order,
// goes to the server with the fewest bytes so far (the lowest on a tie), so that the
// servers' loads stay even when the first bucket is small or a large tensor has a bucket of
// its own. Server s is rank s * nranks / serverCount: launchers place consecutive ranks on
// one host, so spreading the servers over the ranks spreads them over the hosts too.
#include "trainer/bucket_plan.h"

#include "reduce/cpu_reducer.h"

namespace hoop {

std::vector<BucketSpec> planBuckets(const std::vector<TensorShape>& tensors, size_t firstBucketBytes,
                                    size_t bucketBytes) {
  std::vector<BucketSpec> buckets;
  size_t bytes = 0;
  for (size_t i = tensors.size(); i-- > 0;) {
    const TensorShape& tensor = tensors[i];
    const size_t tensorBytes = tensor.count * dataTypeSize(tensor.datatype);
    const size_t cap = buckets.size() == 1 ? firstBucketBytes : bucketBytes;  // of the open bucket
    const bool fits = !buckets.empty() && buckets.back().datatype == tensor.datatype && bytes + tensorBytes <= cap;
    if (!fits) {
      buckets.push_back(BucketSpec{tensor.datatype, {}, {}, 0});
      bytes = 0;
    }
    BucketSpec& bucket = buckets.back();
    bucket.tensors.push_back(static_cast<int>(i));
    bucket.offsets.push_back(bucket.count);
    bucket.count += tensor.count;
    bytes += tensorBytes;
  }
  return buckets;
}

int serverRank(int server, int serverCount, int nranks) {
  return static_cast<int>(static_cast<long long>(server) * nranks / serverCount);
}

std::vector<int> assignServers(const std::vector<size_t>& bucketBytes, int serverCount, int nranks) {
  std::vector<size_t> load(static_cast<size_t>(serverCount), 0);
  std::vector<int> servers;
  servers.reserve(bucketBytes.size());
  for (size_t bytes : bucketBytes) {
    size_t lightest = 0;
    for (size_t s = 1; s < load.size(); ++s) {
      if (load[s] < load[lightest]) lightest = s;
    }
    load[lightest] += bytes;
    servers.push_back(serverRank(static_cast<int>(lightest), serverCount, nranks));
  }
  return servers;
}

}  // namespace hoop
