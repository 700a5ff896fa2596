// hoop::Trainer misuse: each mistake returns the documented code with a message that names
// it, and the trainer keeps working afterwards.
#include <memory>
#include <string>
#include <vector>

#include "hoop/trainer.h"
#include "mpi_fixture.h"

namespace {

class TrainerErrors : public MpiCommTest {
 protected:
  bool says(const std::string& part) const {
    return std::string(hoopGetLastError(comm)).find(part) != std::string::npos;
  }
  std::vector<float> parameters = std::vector<float>(10, 1.0f);
  std::vector<float> gradients = std::vector<float>(10, 1.0f);
};

TEST_F(TrainerErrors, BadOptions) {
  std::unique_ptr<hoop::Trainer> trainer;
  hoop::TrainerOptions options;
  options.mode = hoop::SyncMode::ParameterServer;
  options.serverCount = nranks + 1;
  EXPECT_EQ(hoopInvalidArgument, hoop::Trainer::create(comm, options, &trainer));
  EXPECT_TRUE(says("serverCount")) << hoopGetLastError(comm);
  options = hoop::TrainerOptions{};
  options.bucketBytes = 0;
  EXPECT_EQ(hoopInvalidArgument, hoop::Trainer::create(comm, options, &trainer));
  EXPECT_TRUE(says("bucket caps must be positive")) << hoopGetLastError(comm);
  EXPECT_EQ(hoopInvalidArgument, hoop::Trainer::create(nullptr, hoop::TrainerOptions{}, &trainer));
  EXPECT_EQ(nullptr, trainer);
}

TEST_F(TrainerErrors, BadRegistrationAndMarks) {
  std::unique_ptr<hoop::Trainer> trainer;
  ASSERT_EQ(hoopSuccess, hoop::Trainer::create(comm, hoop::TrainerOptions{}, &trainer)) << hoopGetLastError(comm);
  EXPECT_EQ(hoopInvalidUsage, trainer->step());
  EXPECT_TRUE(says("no parameters registered")) << hoopGetLastError(comm);
  EXPECT_EQ(hoopInvalidArgument, trainer->addParameter(parameters.data(), gradients.data(), 10, hoopInt32));
  EXPECT_TRUE(says("is not hoopFloat32 or hoopFloat64")) << hoopGetLastError(comm);
  EXPECT_EQ(hoopInvalidArgument, trainer->addParameter(nullptr, gradients.data(), 10, hoopFloat32));
  int index = -1;
  ASSERT_EQ(hoopSuccess, trainer->addParameter(parameters.data(), gradients.data(), 10, hoopFloat32, &index));
  EXPECT_EQ(0, index);
  EXPECT_EQ(hoopInvalidArgument, trainer->markReady(1));
  EXPECT_TRUE(says("index 1 is not a registered parameter")) << hoopGetLastError(comm);
  ASSERT_EQ(hoopSuccess, trainer->markReady(0)) << hoopGetLastError(comm);
  EXPECT_EQ(hoopInvalidUsage, trainer->markReady(0));
  EXPECT_TRUE(says("already ready")) << hoopGetLastError(comm);
  EXPECT_EQ(hoopInvalidUsage, trainer->addParameter(parameters.data(), gradients.data(), 10, hoopFloat32));
  EXPECT_TRUE(says("registration is closed")) << hoopGetLastError(comm);
  // Still usable: the step averages the gradients (all ones) and applies SGD.
  ASSERT_EQ(hoopSuccess, trainer->step()) << hoopGetLastError(comm);
  EXPECT_FLOAT_EQ(1.0f - 0.01f, parameters[0]);
  EXPECT_FLOAT_EQ(1.0f, gradients[9]);
}

}  // namespace
