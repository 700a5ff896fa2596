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

}  // namespace hoop
