// A small multilayer perceptron in plain C++: fully connected layers with ReLU between them
// and softmax cross-entropy at the end, trained on mini-batches, in float or double.
// Deterministic: the same parameters and samples give the same bits every time.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <functional>
#include <vector>

template <typename T>
struct MlpLayer {
  int inputs;
  int outputs;
  std::vector<T> weights;  // [inputs][outputs]
  std::vector<T> bias;     // [outputs]
  std::vector<T> weightGradients;
  std::vector<T> biasGradients;
};

struct BatchResult {
  double lossSum = 0;  // sum over the batch's samples of the cross-entropy
  int correct = 0;     // samples whose largest logit is the label
};

template <typename T>
class Mlp {
 public:
  // sizes = {inputs, hidden..., classes}; weights drawn uniformly in +-sqrt(6 / fan-in) from
  // `seed`, biases zero.
  Mlp(const std::vector<int>& sizes, uint64_t seed);

  std::vector<MlpLayer<T>>& layers() { return layers_; }

  // Forward and backward over `batch` samples (row-major `inputs`, one label each). The
  // gradients become those of the mean loss over the batch. `ready(layer)` is called as
  // soon as a layer's gradients are final, last layer first, as backward produces them.
  BatchResult trainBatch(const T* inputs, const uint8_t* labels, int batch, const std::function<void(int)>& ready);

  // Forward only: loss and correct predictions over `batch` samples.
  BatchResult evaluate(const T* inputs, const uint8_t* labels, int batch);

 private:
  // activations_[l] holds the inputs of layer l for the batch (activations_[0] = inputs).
  void forward(const T* inputs, int batch);
  BatchResult scoreAndSeedDeltas(const uint8_t* labels, int batch, bool seedDeltas);

  std::vector<MlpLayer<T>> layers_;
  std::vector<std::vector<T>> activations_;
  std::vector<T> logits_;
  std::vector<T> delta_;
  std::vector<T> previousDelta_;
};
