// Fusion-bucket planning: reverse registration order, the small first bucket, the main cap,
// oversized tensors alone, datatype changes, and offsets that tile each bucket.
#include <gtest/gtest.h>

#include <vector>

#include "trainer/bucket_plan.h"

namespace hoop {
namespace {

std::vector<std::vector<int>> members(const std::vector<BucketSpec>& plan) {
  std::vector<std::vector<int>> result;
  for (const BucketSpec& bucket : plan) result.push_back(bucket.tensors);
  return result;
}

TEST(BucketPlan, ReverseOrderWithASmallFirstBucket) {
  // 10 float32 tensors of 100 elements (400 bytes): first cap 800 bytes, then 1600 bytes.
  const std::vector<TensorShape> tensors(10, TensorShape{100, hoopFloat32});
  const std::vector<BucketSpec> plan = planBuckets(tensors, 800, 1600);
  const std::vector<std::vector<int>> expected = {{9, 8}, {7, 6, 5, 4}, {3, 2, 1, 0}};
  EXPECT_EQ(expected, members(plan));
  for (const BucketSpec& bucket : plan) {
    size_t offset = 0;
    for (size_t k = 0; k < bucket.tensors.size(); ++k) {
      EXPECT_EQ(offset, bucket.offsets[k]);
      offset += tensors[static_cast<size_t>(bucket.tensors[k])].count;
    }
    EXPECT_EQ(offset, bucket.count);
  }
}

TEST(BucketPlan, OversizedTensorsGetABucketOfTheirOwn) {
  const std::vector<TensorShape> tensors = {{10, hoopFloat32}, {1000, hoopFloat32}, {10, hoopFloat32}, {10, hoopFloat32}};
  const std::vector<std::vector<int>> expected = {{3, 2}, {1}, {0}};
  EXPECT_EQ(expected, members(planBuckets(tensors, 100, 200)));
}

TEST(BucketPlan, DatatypeChangeClosesABucket) {
  const std::vector<TensorShape> tensors = {{4, hoopFloat32}, {4, hoopFloat64}, {4, hoopFloat64}, {4, hoopFloat32}};
  const std::vector<BucketSpec> plan = planBuckets(tensors, 1 << 20, 1 << 20);
  const std::vector<std::vector<int>> expected = {{3}, {2, 1}, {0}};
  EXPECT_EQ(expected, members(plan));
  EXPECT_EQ(hoopFloat64, plan[1].datatype);
}

TEST(BucketPlan, DefaultsPutASmallModelInOneBucket) {
  const std::vector<TensorShape> tensors = {{784 * 128, hoopFloat32}, {128, hoopFloat32}, {1280, hoopFloat32}, {10, hoopFloat32}};
  const std::vector<BucketSpec> plan = planBuckets(tensors, size_t{1} << 20, size_t{25} << 20);
  ASSERT_EQ(1u, plan.size());
  EXPECT_EQ(784u * 128 + 128 + 1280 + 10, plan[0].count);
}

TEST(ServerAssignment, ServersSpreadOverTheRanks) {
  EXPECT_EQ(0, serverRank(0, 1, 4));
  EXPECT_EQ(std::vector<int>({0, 2}), assignServers({10, 10}, 2, 4));
  EXPECT_EQ(std::vector<int>({0, 1, 3}), assignServers({5, 5, 5}, 3, 5));
  EXPECT_EQ(std::vector<int>({0, 1, 2, 3}), assignServers({1, 1, 1, 1}, 4, 4));
}

TEST(ServerAssignment, EachBucketGoesToTheLightestServer) {
  // Round-robin would give server 0 both small buckets (2 bytes) and server 1 both large
  // ones (200); by load, server 0 takes the second large one (102 against 100).
  EXPECT_EQ(std::vector<int>({0, 2, 0, 0}), assignServers({1, 100, 1, 100}, 2, 4));
  const std::vector<int> servers = assignServers({8, 2, 2, 2, 2}, 2, 2);
  EXPECT_EQ(std::vector<int>({0, 1, 1, 1, 1}), servers);
}

}  // namespace
}  // namespace hoop
