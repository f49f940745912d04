// Job arrays without MPI (`--split I/N` and `genomap merge`): a run computes slice I of N of its work and
// writes OUT.splitI-of-N.* with a manifest (OUT.splitI-of-N.split) naming the command, a key of its inputs
// and parameters, and the range it covered; merge checks that all N slices of one key are there and writes
// exactly the single run's outputs. Per-variant commands (freq, missing, hardy) take contiguous ranges of the
// filtered variants; king takes contiguous rows of pairs (later samples j, each against every earlier i),
// balanced by pair count.
#pragma once
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "genomap/io/output_file.hpp"

namespace genomap {

struct SplitSlice {
  std::size_t index = 1;  // I, from 1
  std::size_t count = 1;  // N
};

// Parses "I/N" (1 <= I <= N); UsageError otherwise.
SplitSlice parse_split(const std::string& text);

// OUT.splitI-of-N
std::string split_prefix(const std::string& out, const SplitSlice& slice);

// Contiguous ranges [first, last) over `total` items: slice I gets items [floor((I-1) total / N), floor(I
// total / N)).
std::pair<std::size_t, std::size_t> split_range(std::size_t total, const SplitSlice& slice);

// Rows [first, last) of `samples` whose pairs (j, i < j) make slice I of N, each slice about the same number
// of pairs.
std::pair<std::size_t, std::size_t> split_pair_rows(std::size_t samples, const SplitSlice& slice);

// The key of a run: XXH3-128 of the command, its parameters (one option per line, those that do not change
// the result left out: --out, --split, --threads, --memory, --quiet) and its inputs ("path  size
// xxh128:...").
std::string split_key(const std::string& command, const std::string& parameters,
                      const std::vector<std::string>& inputs);

struct SplitManifest {
  std::string command;
  SplitSlice slice;
  std::string key;
  std::string unit;  // "variants" or "pair rows"
  std::size_t first = 0, last = 0, total = 0;
  std::vector<std::string>
      outputs;  // suffixes of the slice's outputs (".afreq", ...), its log and manifest excluded
};

std::string render_split_manifest(const SplitManifest& manifest);
SplitManifest read_split_manifest(const std::string& path);

struct SplitMerge {
  std::string command;
  std::size_t slice_count = 0;
  std::vector<std::string> manifests;  // paths, in slice order
};

// Finds the slices OUT.split*-of-*.split, checks them (all N present, once each, one key, contiguous ranges,
// each listed output present with the same header) and writes each output into `outputs` (prefix OUT): tables
// of variants or pair rows concatenated in slice order under the one header, .smiss summed per sample.
SplitMerge merge_split_outputs(const std::string& out, OutputSet& outputs);

}  // namespace genomap
