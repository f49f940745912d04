#include "genomap/sim/simulated_pedigree.hpp"

#include "genomap/sim/random_stream.hpp"

namespace genomap {
namespace {

// The stream that draws ancestry; variant streams start above it (see admixture_simulation.cpp).
constexpr std::uint64_t kAncestryStream = 0;

class PedigreeBuilder {
 public:
  PedigreeBuilder(const SimulationOptions& o) : o_(o), rng_(o.seed, kAncestryStream) { p_.k = o.k; }

  SimulatedPedigree build() {
    const std::size_t unrelated = o_.sample_ct - 2 * o_.related.pair_ct();
    for (std::size_t i = 0; i < unrelated; ++i) {
      draw_family_ancestry();
      add_founder(true);
    }
    for (std::size_t i = 0; i < o_.related.duplicate; ++i) {
      draw_family_ancestry();
      const int a = add_founder(true);
      const int b = add_member(-1, -1, a, true);
      pair(a, b, "duplicate", 0, 0.5);
    }
    for (std::size_t i = 0; i < o_.related.parent_offspring; ++i) {
      draw_family_ancestry();
      const int parent = add_founder(true);
      const int other = add_founder(false);
      const int child = add_member(parent, other, -1, true);
      pair(parent, child, "parent-offspring", 1, 0.25);
    }
    for (std::size_t i = 0; i < o_.related.full_sibling; ++i) {
      draw_family_ancestry();
      const int f = add_founder(false), m = add_founder(false);
      const int a = add_member(f, m, -1, true), b = add_member(f, m, -1, true);
      pair(a, b, "full-sibling", 1, 0.25);
    }
    for (std::size_t i = 0; i < o_.related.second_degree; ++i) {  // half siblings
      draw_family_ancestry();
      const int shared = add_founder(false), m1 = add_founder(false), m2 = add_founder(false);
      const int a = add_member(shared, m1, -1, true), b = add_member(shared, m2, -1, true);
      pair(a, b, "second-degree", 2, 0.125);
    }
    for (std::size_t i = 0; i < o_.related.third_degree; ++i) {  // first cousins
      draw_family_ancestry();
      const int g1 = add_founder(false), g2 = add_founder(false);
      const int s1 = add_member(g1, g2, -1, false), s2 = add_member(g1, g2, -1, false);
      const int in1 = add_founder(false), in2 = add_founder(false);
      const int a = add_member(s1, in1, -1, true), b = add_member(s2, in2, -1, true);
      pair(a, b, "third-degree", 3, 0.0625);
    }
    return std::move(p_);
  }

 private:
  void draw_family_ancestry() { rng_.dirichlet(o_.alpha, family_q_); }

  int add_founder(bool written) { return add_member(-1, -1, -1, written); }

  int add_member(int parent1, int parent2, int clone_of, bool written) {
    SimulatedMember m;
    m.parent[0] = parent1;
    m.parent[1] = parent2;
    m.clone_of = clone_of;
    if (written) {
      m.output_index = static_cast<long>(p_.output_member.size());
      p_.output_member.push_back(p_.members.size());
    }
    p_.members.push_back(m);
    // Every member of a family carries the family's ancestry (the mean of its parents' is the same vector).
    p_.ancestry.insert(p_.ancestry.end(), family_q_.begin(), family_q_.end());
    return static_cast<int>(p_.members.size() - 1);
  }

  void pair(int a, int b, const char* relationship, int degree, double kinship) {
    PlantedPair pp;
    pp.output1 = static_cast<std::size_t>(p_.members[static_cast<std::size_t>(a)].output_index);
    pp.output2 = static_cast<std::size_t>(p_.members[static_cast<std::size_t>(b)].output_index);
    pp.relationship = relationship;
    pp.degree = degree;
    pp.kinship = kinship;
    p_.pairs.push_back(pp);
  }

  const SimulationOptions& o_;
  RandomStream rng_;
  SimulatedPedigree p_;
  std::vector<double> family_q_;
};

}  // namespace

SimulatedPedigree build_pedigree(const SimulationOptions& options) { return PedigreeBuilder(options).build(); }

}  // namespace genomap
