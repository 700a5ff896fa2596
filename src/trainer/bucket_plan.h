#pragma once

#include <stddef.h>

#include <vector>

#include "hoop/hoop.h"

namespace hoop {

struct TensorShape {
  size_t count;
  hoopDataType_t datatype;
};

struct BucketSpec {
  hoopDataType_t datatype;
  std::vector<int> tensors;     // tensor indices, in the order they sit in the bucket
  std::vector<size_t> offsets;  // element offset of each tensor in the bucket
  size_t count = 0;             // elements in the bucket
};

// Groups tensors (given in registration order) into fusion buckets; see bucket_plan.cc.
std::vector<BucketSpec> planBuckets(const std::vector<TensorShape>& tensors, size_t firstBucketBytes,
                                    size_t bucketBytes);

// Parameter-server mode: the server rank of each bucket (bucketBytes[b] bytes on the wire).
// See bucket_plan.cc.
std::vector<int> assignServers(const std::vector<size_t>& bucketBytes, int serverCount, int nranks);

// The rank of server s of serverCount among nranks ranks: spread evenly over the ranks.
int serverRank(int server, int serverCount, int nranks);

}  // namespace hoop
