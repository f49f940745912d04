// genomap fst: pairwise Fst between populations (Hudson or Weir-Cockerham), as plink2 --fst writes it, with
// block-jackknife standard errors and the share of genetic variance between populations.
#include "genomap/popstats/fst.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/dist/byte_packing.hpp"
#include "genomap/dist/mpi.hpp"
#include "genomap/popstats/popstats_files.hpp"
#include "genomap/popstats/population_input.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

using mpi::put;
using mpi::take;

struct FstCommandOptions {
  InputOptions input;
  std::string pop_file;
  std::string pop_column = "POP";
  std::string method = "hudson";
  std::size_t block_size = 500;
  bool per_variant = false;
};

void put_terms(std::string& out, const std::vector<FstTerm>& terms) {
  put(out, static_cast<std::uint64_t>(terms.size()));
  for (const FstTerm& t : terms) {
    put(out, t.numer);
    put(out, t.denom);
  }
}

std::vector<FstTerm> take_terms(const char*& at) {
  std::vector<FstTerm> terms(take<std::uint64_t>(at));
  for (FstTerm& t : terms) {
    t.numer = take<double>(at);
    t.denom = take<double>(at);
    t.valid = true;
  }
  return terms;
}

// Under MPI: every rank learns how many usable terms of each accumulator the ranks before it have (a sum over
// the ranks), cuts its own into the pieces of the blocks (cut_fst_slice) and sends them to rank 0, which
// joins them in rank order into the blocks of one pass: the estimates and standard errors are those of one
// process, bit for bit. `counts` (variants analysed and left out) are summed over the ranks on the way.
FstJoined exchange_fst_slices(const FstSliceTerms& mine, Invocation& inv,
                              std::array<std::uint64_t, 2>& counts) {
  inv.join_ranks();
  const auto ranks = static_cast<std::size_t>(mpi::size()), rank = static_cast<std::size_t>(mpi::rank());
  const std::size_t acc_ct = mine.valid.size();
  std::vector<std::uint64_t> sums(ranks * acc_ct + 3, 0);
  for (std::size_t a = 0; a < acc_ct; ++a) sums[rank * acc_ct + a] = mine.valid[a].size();
  sums[ranks * acc_ct] = mine.no_call_variant_ct;
  sums[ranks * acc_ct + 1] = counts[0];
  sums[ranks * acc_ct + 2] = counts[1];
  mpi::allreduce_sum(sums);
  counts = {sums[ranks * acc_ct + 1], sums[ranks * acc_ct + 2]};
  std::vector<FstSlicePieces> own(acc_ct);
  for (std::size_t a = 0; a < acc_ct; ++a) {
    std::size_t before = 0;
    for (std::size_t q = 0; q < rank; ++q) before += sums[q * acc_ct + a];
    own[a] = cut_fst_slice(mine.valid[a], before, mine.block_size[a]);
  }
  if (rank != 0) {
    std::string bytes;
    for (const FstSlicePieces& p : own) {
      put_terms(bytes, p.head);
      put(bytes, static_cast<std::uint64_t>(p.full.numer.size()));
      for (std::size_t b = 0; b < p.full.numer.size(); ++b) {
        put(bytes, p.full.numer[b]);
        put(bytes, p.full.denom[b]);
        put(bytes, p.full.weight[b]);
      }
      put(bytes, static_cast<std::uint64_t>(p.full.obs));
      put_terms(bytes, p.tail);
    }
    mpi::send_size(0, bytes.size());
    mpi::send(0, bytes);
    return {};
  }
  std::vector<std::vector<FstSlicePieces>> slices(acc_ct);
  for (std::size_t a = 0; a < acc_ct; ++a) slices[a].push_back(std::move(own[a]));
  for (std::size_t q = 1; q < ranks; ++q) {
    std::string bytes;
    mpi::receive(static_cast<int>(q), mpi::receive_size(static_cast<int>(q)),
                 [&](std::string_view piece) { bytes += piece; });
    const char* at = bytes.data();
    for (std::size_t a = 0; a < acc_ct; ++a) {
      FstSlicePieces p;
      p.head = take_terms(at);
      const auto blocks = take<std::uint64_t>(at);
      for (std::uint64_t b = 0; b < blocks; ++b) {
        p.full.numer.push_back(take<double>(at));
        p.full.denom.push_back(take<double>(at));
        p.full.weight.push_back(take<double>(at));
      }
      p.full.obs = static_cast<std::size_t>(take<std::uint64_t>(at));
      p.tail = take_terms(at);
      slices[a].push_back(std::move(p));
    }
  }
  FstJoined joined;
  for (std::size_t a = 0; a < acc_ct; ++a)
    joined.blocks.push_back(join_fst_slices(slices[a], mine.block_size[a]));
  joined.no_call_variant_ct = static_cast<std::size_t>(sums[ranks * acc_ct]);
  return joined;
}

void run_fst(const FstCommandOptions& o, Invocation& inv) {
  FstOptions options;
  if (o.method == "hudson")
    options.method = FstMethod::Hudson;
  else if (o.method == "wc")
    options.method = FstMethod::WeirCockerham;
  else
    throw UsageError("--method: expected hudson or wc (got '" + o.method + "')");
  options.block_size = o.block_size;
  options.per_variant = o.per_variant;

  Dataset data = inv.load_dataset(o.input, Purpose::Ancestry);
  // Over all filtered variants, before the ranks of an MPI run divide them (a rank's slice may have none).
  if (std::none_of(data.variant_uidx.begin(), data.variant_uidx.end(), [&](std::uint32_t uidx) {
        return is_analysed_chromosome(data.store->variants()[uidx].chrom_code,
                                      AnalysedChromosomes::AutosomesAndXY);
      }))
    throw Error(o.input.bfile + ".bim", 0, "no variants on chromosomes 1-22 or XY");
  inv.distribute_variants(data);  // under MPI: this rank's variants; rank 0 joins the jackknife blocks
  const std::unique_ptr<PopulationInput> input =
      PopulationInput::from_plink(std::move(data), PopulationLabels{o.pop_file, o.pop_column},
                                  AnalysedChromosomes::AutosomesAndXY, inv.context());
  const PopulationData& pd = input->data;
  for (const auto& path : input->input_files) inv.log().add_input(path);
  const PopulationAssignment& pops = pd.populations;
  pops.require_min_size(2, o.pop_file, "Fst");
  if (pops.pop_ct() < 2)
    throw Error(o.pop_file, 0,
                fmt::format("{} population among the analysed samples; Fst needs at least 2", pops.pop_ct()));
  if (pops.unassigned_ct)
    inv.log().note(fmt::format("{} samples without a population label left out", pops.unassigned_ct));

  std::array<std::uint64_t, 2> counts{pd.variants.size(), input->left_out_variant_ct};
  FstSliceExchange exchange;
  if (mpi::distributed())
    exchange = [&](const FstSliceTerms& mine) { return exchange_fst_slices(mine, inv, counts); };
  const FstResult result = compute_fst(pd, options, inv.context(), exchange);
  if (counts[1])
    inv.log().note(fmt::format("{} variants on X, Y, MT or unplaced contigs left out (Fst uses 1-22 and XY)",
                               counts[1]));
  inv.log().note(fmt::format("{} populations, {} variants", pops.pop_ct(), counts[0]));
  inv.log().phase_done("Fst");
  if (result.no_call_variant_ct)
    inv.log().note(fmt::format("{} variants without any call skipped", result.no_call_variant_ct));

  // Under MPI, the ranks above 0 write only their rows of the .fst.var files, which rank 0 appends.
  if (inv.writes_outputs())
    write_fst_summary(inv.outputs().open(".fst.summary").stream(), result, pops, options);
  if (options.per_variant)
    for (const auto& pair : result.pairs)
      write_fst_variants(inv.outputs().open(fst_variant_suffix(pair, pops)).stream(), pd.variants, pair,
                         options.method);
  if (!inv.writes_outputs()) return;
  const VarianceShare& share = result.variance_share;
  write_variance_share(inv.outputs().open(".fst.amova").stream(), share, pops);
  inv.log().note(
      fmt::format("share of genetic variance between populations (Weir-Cockerham theta over all {} "
                  "populations): {:.4f} (SE {:.4f}), within: {:.4f}",
                  pops.pop_ct(), share.between, share.se, 1 - share.between));
  inv.log().phase_done("write .fst.summary");
}

const bool registered = register_command(
    {"fst", "Pairwise Fst between populations (.fst.summary)",
     [](CLI::App& app) {
       auto o = std::make_shared<FstCommandOptions>();
       add_input_options(app, o->input);
       add_population_options(app, o->pop_file, o->pop_column, true);
       app.add_option("--method", o->method, "hudson (Bhatia et al. 2013) or wc (Weir & Cockerham 1984)")
           ->capture_default_str();
       app.add_option("--block-size", o->block_size,
                      "Usable variants per jackknife block for the SE column (plink2 blocksize=); 0: no SE")
           ->capture_default_str();
       app.add_flag("--per-variant", o->per_variant, "Also write PREFIX.POP1.POP2.fst.var per pair");
       return Runner([o](Invocation& inv) { run_fst(*o, inv); });
     },
     60, true});

}  // namespace
}  // namespace genomap::cli
