// The samples of a fileset, as in a PLINK .fam: FID IID father mother sex phenotype.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace genomap {

struct Sample {
  std::string fid;
  std::string iid;
  std::string father = "0";
  std::string mother = "0";
  int sex = 0;                        // 1 male, 2 female, 0 unknown
  std::string phenotype = "-9";       // as written in the .fam
};

class SampleTable {
 public:
  SampleTable() = default;
  explicit SampleTable(std::vector<Sample> samples);  // throws Error on duplicate FID+IID

  std::size_t size() const { return samples_.size(); }
  const Sample& operator[](std::size_t i) const { return samples_[i]; }
  const std::vector<Sample>& all() const { return samples_; }
  // Index of a sample by IID, or by FID+IID when `fid` is given; nullopt when absent. An IID shared by
  // several FIDs is ambiguous when looked up without FID (throws Error).
  std::optional<std::uint32_t> find(const std::string& iid, const std::string* fid = nullptr) const;

 private:
  std::vector<Sample> samples_;
  std::unordered_map<std::string, std::uint32_t> by_fid_iid_;
  std::unordered_map<std::string, std::int64_t> by_iid_;  // -1 when ambiguous
};

// Reads a .fam file (6 whitespace-separated columns). Throws Error naming file and line.
SampleTable read_fam(const std::string& path);
void write_fam(const SampleTable& samples, std::FILE* out);

}  // namespace genomap
