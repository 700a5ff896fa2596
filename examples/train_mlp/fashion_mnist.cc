// IDX reader: a big-endian magic (0x00000803 for images, 0x00000801 for labels), the
// dimensions, then the bytes. zlib reads gzip files and plain files alike.
#include "fashion_mnist.h"

#include <zlib.h>

namespace {

struct GzFile {
  gzFile handle;
  ~GzFile() {
    if (handle != nullptr) gzclose(handle);
  }
};

bool readBytes(gzFile file, void* data, size_t bytes) {
  char* out = static_cast<char*>(data);
  while (bytes > 0) {
    const unsigned chunk = bytes > (1u << 30) ? (1u << 30) : static_cast<unsigned>(bytes);
    const int got = gzread(file, out, chunk);
    if (got <= 0) return false;
    out += got;
    bytes -= static_cast<size_t>(got);
  }
  return true;
}

bool readBigEndian(gzFile file, uint32_t* value) {
  unsigned char bytes[4];
  if (!readBytes(file, bytes, 4)) return false;
  *value = (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) | bytes[3];
  return true;
}

// Opens dir/name, or dir/name.gz.
bool openIdx(const std::string& dir, const std::string& name, GzFile* file, std::string* path) {
  for (const std::string& candidate : {dir + "/" + name + ".gz", dir + "/" + name}) {
    file->handle = gzopen(candidate.c_str(), "rb");
    if (file->handle != nullptr) {
      *path = candidate;
      return true;
    }
  }
  *path = dir + "/" + name + ".gz";
  return false;
}

bool readIdx(const std::string& dir, const std::string& name, uint32_t magic, std::vector<uint32_t>* dims,
             std::vector<uint8_t>* data, std::string* error) {
  GzFile file{nullptr};
  std::string path;
  if (!openIdx(dir, name, &file, &path)) {
    *error = "cannot open " + path + ": install the Debian package dataset-fashion-mnist "
             "(apt-get install dataset-fashion-mnist) or pass --data DIR with the IDX files";
    return false;
  }
  uint32_t header = 0;
  if (!readBigEndian(file.handle, &header) || header != magic) {
    *error = path + " is not an IDX file of the expected kind";
    return false;
  }
  size_t total = 1;
  for (size_t d = 0; d < (magic & 0xffu); ++d) {
    uint32_t size = 0;
    if (!readBigEndian(file.handle, &size)) {
      *error = path + ": truncated header";
      return false;
    }
    dims->push_back(size);
    total *= size;
  }
  data->resize(total);
  if (!readBytes(file.handle, data->data(), total)) {
    *error = path + ": truncated data";
    return false;
  }
  return true;
}

}  // namespace

bool loadFashionMnist(const std::string& dir, const std::string& split, Dataset* dataset, std::string* error) {
  std::vector<uint32_t> imageDims;
  std::vector<uint32_t> labelDims;
  if (!readIdx(dir, split + "-images-idx3-ubyte", 0x803, &imageDims, &dataset->images, error)) return false;
  if (!readIdx(dir, split + "-labels-idx1-ubyte", 0x801, &labelDims, &dataset->labels, error)) return false;
  if (imageDims[0] != labelDims[0]) {
    *error = dir + ": " + split + " has " + std::to_string(imageDims[0]) + " images but " +
             std::to_string(labelDims[0]) + " labels";
    return false;
  }
  dataset->count = static_cast<int>(imageDims[0]);
  dataset->pixels = static_cast<int>(imageDims[1] * imageDims[2]);
  return true;
}
