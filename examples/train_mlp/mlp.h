// A small multilayer perceptron in plain C++: fully connected layers with ReLU between them
// and softmax cross-entropy at the end, trained on mini-batches. Deterministic: the same
// parameters and samples give the same bits every time.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <functional>
#include <vector>

struct MlpLayer {
  int inputs;
  int outputs;
  std::vector<float> weights;  // [inputs][outputs]
  std::vector<float> bias;     // [outputs]
  std::vector<float> weightGradients;
  std::vector<float> biasGradients;
};

struct BatchResult {
  double lossSum = 0;  // sum over the batch's samples of the cross-entropy
  int correct = 0;     // samples whose largest logit is the label
};

class Mlp {
 public:
  // sizes = {inputs, hidden..., classes}; weights drawn uniformly in +-sqrt(6 / fan-in) from
  // `seed`, biases zero.
  Mlp(const std::vector<int>& sizes, uint64_t seed);

  std::vector<MlpLayer>& layers() { return layers_; }

  // Forward and backward over `batch` samples (row-major `inputs`, one label each). The
  // gradients become those of the mean loss over the batch. `ready(layer)` is called as
  // soon as a layer's gradients are final, last layer first, as backward produces them.
  BatchResult trainBatch(const float* inputs, const uint8_t* labels, int batch, const std::function<void(int)>& ready);

  // Forward only: loss and correct predictions over `batch` samples.
  BatchResult evaluate(const float* inputs, const uint8_t* labels, int batch);

 private:
  // activations_[l] holds the inputs of layer l for the batch (activations_[0] = inputs).
  void forward(const float* inputs, int batch);
  BatchResult scoreAndSeedDeltas(const uint8_t* labels, int batch, bool seedDeltas);

  std::vector<MlpLayer> layers_;
  std::vector<std::vector<float>> activations_;
  std::vector<float> logits_;
  std::vector<float> delta_;
  std::vector<float> previousDelta_;
};
