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
template <typename T>
void affine(const T* in, const MlpLayer<T>& layer, int batch, T* out) {
  for (int b = 0; b < batch; ++b) {
    T* row = out + static_cast<size_t>(b) * layer.outputs;
    memcpy(row, layer.bias.data(), sizeof(T) * layer.outputs);
    const T* x = in + static_cast<size_t>(b) * layer.inputs;
    for (int i = 0; i < layer.inputs; ++i) {
      if (x[i] == T(0)) continue;
      const T xi = x[i];
      const T* w = layer.weights.data() + static_cast<size_t>(i) * layer.outputs;
      for (int o = 0; o < layer.outputs; ++o) row[o] += xi * w[o];
    }
  }
}

}  // namespace

template <typename T>
Mlp<T>::Mlp(const std::vector<int>& sizes, uint64_t seed) {
  uint64_t state = seed;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    MlpLayer<T> layer{sizes[l], sizes[l + 1], {}, {}, {}, {}};
    const size_t count = static_cast<size_t>(layer.inputs) * layer.outputs;
    const double limit = sqrt(6.0 / layer.inputs);
    layer.weights.resize(count);
    for (T& w : layer.weights) w = static_cast<T>((2 * uniform(state) - 1) * limit);
    layer.bias.assign(layer.outputs, T(0));
    layer.weightGradients.assign(count, T(0));
    layer.biasGradients.assign(layer.outputs, T(0));
    layers_.push_back(std::move(layer));
  }
  activations_.resize(layers_.size());
}

template <typename T>
void Mlp<T>::forward(const T* inputs, int batch) {
  activations_[0].assign(inputs, inputs + static_cast<size_t>(batch) * layers_[0].inputs);
  for (size_t l = 0; l < layers_.size(); ++l) {
    const MlpLayer<T>& layer = layers_[l];
    const bool last = l + 1 == layers_.size();
    std::vector<T>& out = last ? logits_ : activations_[l + 1];
    out.resize(static_cast<size_t>(batch) * layer.outputs);
    affine(activations_[l].data(), layer, batch, out.data());
    if (!last) {
      for (T& v : out) v = std::max(v, T(0));
    }
  }
}

template <typename T>
BatchResult Mlp<T>::scoreAndSeedDeltas(const uint8_t* labels, int batch, bool seedDeltas) {
  const int classes = layers_.back().outputs;
  BatchResult result;
  if (seedDeltas) delta_.resize(static_cast<size_t>(batch) * classes);
  for (int b = 0; b < batch; ++b) {
    const T* z = logits_.data() + static_cast<size_t>(b) * classes;
    const int best = static_cast<int>(std::max_element(z, z + classes) - z);
    result.correct += best == labels[b] ? 1 : 0;
    double total = 0;
    for (int k = 0; k < classes; ++k) total += exp(static_cast<double>(z[k]) - z[best]);
    result.lossSum += log(total) - (static_cast<double>(z[labels[b]]) - z[best]);
    if (!seedDeltas) continue;
    T* d = delta_.data() + static_cast<size_t>(b) * classes;
    for (int k = 0; k < classes; ++k) {
      const double p = exp(static_cast<double>(z[k]) - z[best]) / total;
      d[k] = static_cast<T>((p - (k == labels[b] ? 1.0 : 0.0)) / batch);
    }
  }
  return result;
}

template <typename T>
BatchResult Mlp<T>::trainBatch(const T* inputs, const uint8_t* labels, int batch,
                            const std::function<void(int)>& ready) {
  forward(inputs, batch);
  const BatchResult result = scoreAndSeedDeltas(labels, batch, true);
  for (size_t l = layers_.size(); l-- > 0;) {
    MlpLayer<T>& layer = layers_[l];
    const T* in = activations_[l].data();
    std::fill(layer.weightGradients.begin(), layer.weightGradients.end(), T(0));
    std::fill(layer.biasGradients.begin(), layer.biasGradients.end(), T(0));
    for (int b = 0; b < batch; ++b) {
      const T* d = delta_.data() + static_cast<size_t>(b) * layer.outputs;
      const T* x = in + static_cast<size_t>(b) * layer.inputs;
      for (int o = 0; o < layer.outputs; ++o) layer.biasGradients[o] += d[o];
      for (int i = 0; i < layer.inputs; ++i) {
        if (x[i] == T(0)) continue;
        const T xi = x[i];
        T* g = layer.weightGradients.data() + static_cast<size_t>(i) * layer.outputs;
        for (int o = 0; o < layer.outputs; ++o) g[o] += xi * d[o];
      }
    }
    if (l > 0) {
      // delta of the layer below: W d, through the ReLU (zero where the activation was zero).
      previousDelta_.assign(static_cast<size_t>(batch) * layer.inputs, T(0));
      for (int b = 0; b < batch; ++b) {
        const T* d = delta_.data() + static_cast<size_t>(b) * layer.outputs;
        const T* x = in + static_cast<size_t>(b) * layer.inputs;
        T* p = previousDelta_.data() + static_cast<size_t>(b) * layer.inputs;
        for (int i = 0; i < layer.inputs; ++i) {
          if (x[i] == T(0)) continue;
          const T* w = layer.weights.data() + static_cast<size_t>(i) * layer.outputs;
          T sum = 0;
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

template <typename T>
BatchResult Mlp<T>::evaluate(const T* inputs, const uint8_t* labels, int batch) {
  forward(inputs, batch);
  return scoreAndSeedDeltas(labels, batch, false);
}

template class Mlp<float>;
template class Mlp<double>;
