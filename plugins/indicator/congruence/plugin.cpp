// indicator.congruence: congruence, functional integrality and legal-form mix per
// region of the input partition (DOMAIN.md §3). The computation lives in
// congruence.cpp; this file maps parameters and artifacts.
#include <string>
#include <utility>
#include <vector>

#include "bre/network.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "congruence.hpp"

namespace {

class CongruencePlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d;
    d.set_name("indicator.congruence");
    d.set_kind(bre::v1::PLUGIN_KIND_INDICATOR);
    d.set_version("1.0.0");
    d.set_summary(
        "Congruence (C1 territorial, C2 complete participation), functional integrality and "
        "legal-form mix per region of the input partition (DOMAIN.md §3).");
    for (auto& spec : bre::network_parameters()) *d.add_parameters() = std::move(spec);
    d.add_consumes(bre::v1::ARTIFACT_KIND_PARTITION);
    d.add_produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE);
    bre::v1::Capabilities* caps = d.mutable_capabilities();
    caps->set_uses_weights(true);
    caps->set_deterministic_per_seed(true);
    caps->set_thread_safe(true);
    return d;
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const bre::v1::Partition* partition = context.input_partition();
    if (partition == nullptr) {
      return bre::failed_precondition("step '" + context.step_id() +
                                      "': indicator.congruence needs a partition from an input "
                                      "step (e.g. a clustering step), found none");
    }
    bre::Expected<bre::NetworkOptions> network = bre::network_options_from(context.params());
    if (!network) return network.status().with_context("step '" + context.step_id() + "'");

    bre::Expected<bre::indicator::CongruenceResult> result =
        bre::indicator::compute_congruence(context.dataset(), *partition, *network);
    if (!result) return result.status().with_context("step '" + context.step_id() + "'");
    *out.add_tables() = std::move(result->table);
    for (std::string& warning : result->warnings) {
      out.add_warnings(std::move(warning));
    }
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(CongruencePlugin)
