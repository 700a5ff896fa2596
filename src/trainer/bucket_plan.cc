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

}  // namespace hoop
