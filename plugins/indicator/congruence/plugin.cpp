// indicator.congruence: congruence, functional integrality and legal-form mix per
// region of the input partition (DOMAIN.md §3). The computation lives in
// congruence.cpp; this file maps parameters and artifacts.
#include <string>
#include <utility>

#include "bre/network.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "congruence.hpp"

namespace {

constexpr const char* kPluginName = "indicator.congruence";

class CongruencePlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(kPluginName, bre::v1::PLUGIN_KIND_INDICATOR, "2.0.0",
                                "Congruence (C1 territorial, C2 complete participation), functional integrality and "
                                "legal-form mix per region of the input partition (DOMAIN.md §3).")
        .parameters(bre::network_parameters())
        .consumes(bre::v1::ARTIFACT_KIND_PARTITION)
        .produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE)
        .uses_weights();
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    bre::Expected<const bre::v1::Partition*> partition = bre::require_input_partition(context, kPluginName);
    if (!partition) return partition.status();
    bre::Expected<bre::NetworkOptions> network = bre::network_options_from(context.params());
    if (!network) return network.status().with_context(bre::step_where(context));

    bre::Expected<bre::indicator::CongruenceResult> result =
        bre::indicator::compute_congruence(context.dataset(), **partition, *network, bre::run_language(context));
    if (!result) return result.status().with_context(bre::step_where(context));
    *out.add_tables() = std::move(result->table);
    bre::add_step_warnings(context, result->warnings, out);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(CongruencePlugin)
