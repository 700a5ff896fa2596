// Fashion-MNIST in IDX format (gzip-compressed or plain), as the Debian package
// dataset-fashion-mnist installs it in /usr/share/datasets/fashion-mnist.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

struct Dataset {
  int count = 0;
  int pixels = 0;               // per image (28 x 28)
  std::vector<uint8_t> images;  // count x pixels
  std::vector<uint8_t> labels;  // count, 0..9
};

constexpr const char* kFashionMnistDefaultDir = "/usr/share/datasets/fashion-mnist";

// Loads `split` ("train" or "t10k") from `dir`. On failure returns false with a message
// that names the missing file and the package that provides it.
bool loadFashionMnist(const std::string& dir, const std::string& split, Dataset* dataset, std::string* error);
