// A read-only memory mapping of a whole file. Pages that a pass has finished with can be handed back
// (`release`) so that resident memory stays at a few blocks whatever the file size.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace genomap {

class MappedFile {
 public:
  MappedFile() = default;
  explicit MappedFile(const std::string& path);  // throws Error naming the file
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Drops the pages of [offset, offset + length) from this process's resident set (the page cache keeps them).
  void release(std::size_t offset, std::size_t length) const;
  // Asks the kernel to start reading [offset, offset + length) from disk now (a hint; no effect on the result).
  void will_need(std::size_t offset, std::size_t length) const;

 private:
  std::string path_;
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace genomap
