// Who is simulated: unrelated founders plus small families that plant related pairs. Every family's founders
// share one ancestry vector (they come from the same population), and their descendants inherit alleles by
// Mendelian transmission. Some family members are not written out (the second parent of a parent-offspring
// pair, the parents of siblings, the grandparents of cousins); they exist only to transmit alleles.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "genomap/sim/simulation_options.hpp"

namespace genomap {

struct SimulatedMember {
  int parent[2] = {-1, -1};  // member indices; both -1 for a founder
  int clone_of = -1;         // a duplicate sample: copies this member's genotypes
  long output_index = -1;    // row in the written fileset, -1 when not written
  bool founder() const { return parent[0] < 0 && clone_of < 0; }
};

struct PlantedPair {
  std::size_t output1 = 0, output2 = 0;  // output sample rows
  const char* relationship = "";         // duplicate, parent-offspring, full-sibling, second-degree, third-degree
  int degree = 0;
  double kinship = 0;
};

struct SimulatedPedigree {
  std::vector<SimulatedMember> members;  // parents always precede their children
  std::vector<double> ancestry;          // members x K, row-major (the true Q)
  std::vector<std::size_t> output_member;  // output row -> member
  std::vector<PlantedPair> pairs;
  std::size_t k = 0;
  const double* q(std::size_t member) const { return ancestry.data() + member * k; }
};

// Builds the pedigree and draws each founder's (family's) ancestry from Dirichlet(alpha).
SimulatedPedigree build_pedigree(const SimulationOptions& options);

}  // namespace genomap
