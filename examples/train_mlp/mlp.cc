// The MLP's arithmetic. Weights are stored [inputs][outputs] so that the inner loops of the
// forward pass and of the weight gradients run over contiguous outputs (they vectorize
// without reassociating sums); input rows skip zero entries, which are common in images
// and after ReLU. Loss and softmax are computed in double.
#include "mlp.h"

#include <math.h>
#include <string.h>

#include <algorithm>

namespace {

// splitmix64: a small, portable generator, so every platform draws the same weights.
uint64_t nextRandom(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

double uniform(uint64_t& state) { return static_cast<double>(nextRandom(state) >> 11) * 0x1.0p-53; }

// out[b][o] = bias[o] + sum_i in[b][i] * w[i][o]
void affine(const float* in, const MlpLayer& layer, int batch, float* out) {
  for (int b = 0; b < batch; ++b) {
    float* row = out + static_cast<size_t>(b) * layer.outputs;
    memcpy(row, layer.bias.data(), sizeof(float) * layer.outputs);
    const float* x = in + static_cast<size_t>(b) * layer.inputs;
    for (int i = 0; i < layer.inputs; ++i) {
      if (x[i] == 0.0f) continue;
      const float xi = x[i];
      const float* w = layer.weights.data() + static_cast<size_t>(i) * layer.outputs;
      for (int o = 0; o < layer.outputs; ++o) row[o] += xi * w[o];
    }
  }
}

}  // namespace

Mlp::Mlp(const std::vector<int>& sizes, uint64_t seed) {
  uint64_t state = seed;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    MlpLayer layer{sizes[l], sizes[l + 1], {}, {}, {}, {}};
    const size_t count = static_cast<size_t>(layer.inputs) * layer.outputs;
    const double limit = sqrt(6.0 / layer.inputs);
    layer.weights.resize(count);
    for (float& w : layer.weights) w = static_cast<float>((2 * uniform(state) - 1) * limit);
    layer.bias.assign(layer.outputs, 0.0f);
    layer.weightGradients.assign(count, 0.0f);
    layer.biasGradients.assign(layer.outputs, 0.0f);
    layers_.push_back(std::move(layer));
  }
  activations_.resize(layers_.size());
}

void Mlp::forward(const float* inputs, int batch) {
  activations_[0].assign(inputs, inputs + static_cast<size_t>(batch) * layers_[0].inputs);
  for (size_t l = 0; l < layers_.size(); ++l) {
    const MlpLayer& layer = layers_[l];
    const bool last = l + 1 == layers_.size();
    std::vector<float>& out = last ? logits_ : activations_[l + 1];
    out.resize(static_cast<size_t>(batch) * layer.outputs);
    affine(activations_[l].data(), layer, batch, out.data());
    if (!last) {
      for (float& v : out) v = std::max(v, 0.0f);
    }
  }
}

BatchResult Mlp::scoreAndSeedDeltas(const uint8_t* labels, int batch, bool seedDeltas) {
  const int classes = layers_.back().outputs;
  BatchResult result;
  if (seedDeltas) delta_.resize(static_cast<size_t>(batch) * classes);
  for (int b = 0; b < batch; ++b) {
    const float* z = logits_.data() + static_cast<size_t>(b) * classes;
    const int best = static_cast<int>(std::max_element(z, z + classes) - z);
    result.correct += best == labels[b] ? 1 : 0;
    double total = 0;
    for (int k = 0; k < classes; ++k) total += exp(static_cast<double>(z[k]) - z[best]);
    result.lossSum += log(total) - (static_cast<double>(z[labels[b]]) - z[best]);
    if (!seedDeltas) continue;
    float* d = delta_.data() + static_cast<size_t>(b) * classes;
    for (int k = 0; k < classes; ++k) {
      const double p = exp(static_cast<double>(z[k]) - z[best]) / total;
      d[k] = static_cast<float>((p - (k == labels[b] ? 1.0 : 0.0)) / batch);
    }
  }
  return result;
}

BatchResult Mlp::trainBatch(const float* inputs, const uint8_t* labels, int batch,
                            const std::function<void(int)>& ready) {
  forward(inputs, batch);
  const BatchResult result = scoreAndSeedDeltas(labels, batch, true);
  for (size_t l = layers_.size(); l-- > 0;) {
    MlpLayer& layer = layers_[l];
    const float* in = activations_[l].data();
    std::fill(layer.weightGradients.begin(), layer.weightGradients.end(), 0.0f);
    std::fill(layer.biasGradients.begin(), layer.biasGradients.end(), 0.0f);
    for (int b = 0; b < batch; ++b) {
      const float* d = delta_.data() + static_cast<size_t>(b) * layer.outputs;
      const float* x = in + static_cast<size_t>(b) * layer.inputs;
      for (int o = 0; o < layer.outputs; ++o) layer.biasGradients[o] += d[o];
      for (int i = 0; i < layer.inputs; ++i) {
        if (x[i] == 0.0f) continue;
        const float xi = x[i];
        float* g = layer.weightGradients.data() + static_cast<size_t>(i) * layer.outputs;
        for (int o = 0; o < layer.outputs; ++o) g[o] += xi * d[o];
      }
    }
    if (l > 0) {
      // delta of the layer below: W d, through the ReLU (zero where the activation was zero).
      previousDelta_.assign(static_cast<size_t>(batch) * layer.inputs, 0.0f);
      for (int b = 0; b < batch; ++b) {
        const float* d = delta_.data() + static_cast<size_t>(b) * layer.outputs;
        const float* x = in + static_cast<size_t>(b) * layer.inputs;
        float* p = previousDelta_.data() + static_cast<size_t>(b) * layer.inputs;
        for (int i = 0; i < layer.inputs; ++i) {
          if (x[i] == 0.0f) continue;
          const float* w = layer.weights.data() + static_cast<size_t>(i) * layer.outputs;
          float sum = 0;
          for (int o = 0; o < layer.outputs; ++o) sum += w[o] * d[o];
          p[i] = sum;
        }
      }
      delta_.swap(previousDelta_);
    }
    ready(static_cast<int>(l));
  }
  return result;
}

BatchResult Mlp::evaluate(const float* inputs, const uint8_t* labels, int batch) {
  forward(inputs, batch);
  return scoreAndSeedDeltas(labels, batch, false);
}
