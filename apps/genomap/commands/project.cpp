// genomap project: new samples placed on a reference PCA made by `genomap pca --var-wts`.
#include <fmt/format.h>

#include "command_registry.hpp"
#include "genomap/pca/pca_files.hpp"
#include "genomap/pca/projection.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct ProjectOptions {
  InputOptions input;
  std::string ref;
  bool mean_impute = false, no_shrinkage = false;
};

void run_project(const ProjectOptions& o, Invocation& inv) {
  const std::string files[] = {o.ref + ".eigenvec.var", o.ref + ".eigenval", o.ref + ".eigenvec"};
  for (const auto& f : files) inv.log().add_input(f);
  ReferencePca ref = read_reference_pca(o.ref);
  inv.log().note(fmt::format("reference {}: {} variants, {} PCs, {} samples", o.ref, ref.variants.size(),
                             ref.weights.cols(), ref.sample_ct));
  Dataset data = inv.load_dataset(o.input, Purpose::Ancestry);
  ProjectionOptions options;
  options.least_squares = !o.mean_impute;
  options.correct_shrinkage = !o.no_shrinkage;
  ProjectionResult r = project_samples(data, ref, options, inv.context());
  inv.log().phase_done("project");
  write_eigenvec(inv.outputs().open(".eigenvec").stream(), data, r.scores);
}

const bool registered = register_command(
    {"project", "Project samples onto a reference PCA (.eigenvec)",
     [](CLI::App& app) {
       auto o = std::make_shared<ProjectOptions>();
       add_input_options(app, o->input);
       app.add_option("--ref", o->ref,
                      "Prefix of a `genomap pca --var-wts` run (.eigenvec.var, .eigenval, .eigenvec)")
           ->required();
       app.add_flag("--mean-impute", o->mean_impute,
                    "Mean-impute missing genotypes instead of least squares on the observed variants");
       app.add_flag("--no-shrinkage-correction", o->no_shrinkage, "Write the raw projected scores");
       return Runner([o](Invocation& inv) { run_project(*o, inv); });
     },
     31});

}  // namespace
}  // namespace genomap::cli
