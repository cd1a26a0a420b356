// indicator.commuting_network: the commuting graph of DOMAIN.md §5 as a network
// artifact, so that any clustering step with this step as input finds the daily
// urban system. The graph is built in commuting_network.cpp.
#include <string>

#include "bre/parameter_decl.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "commuting_network.hpp"

namespace {

constexpr bre::ParameterDecl<double> kMinPersons{
    "min_persons", 0.0, 0.0, 1e9,
    "Leave out pairs whose two-way flow is below this many persons (0 = keep every pair)."};

class CommutingNetworkPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(
               "indicator.commuting_network", bre::v1::PLUGIN_KIND_INDICATOR, "1.0.0",
               "The commuting graph (DOMAIN.md §5): w(i,j) = persons commuting between i and j in either "
               "direction; a clustering step with this step as input clusters it into DUS regions.")
        .parameter(bre::bool_param(
            "include_self_flows", false,
            "Keep persons living and working in the same municipality as a self-loop (false = leave "
            "them out; they would dominate every municipality's strength)."))
        .parameter(kMinPersons.spec())
        .produces(bre::v1::ARTIFACT_KIND_NETWORK)
        .uses_weights();
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = bre::step_where(context);
    bre::indicator::CommutingNetworkParameters parameters;
    parameters.include_self_flows = context.params().get_bool("include_self_flows");
    parameters.min_persons = kMinPersons.read(context.params());
    parameters.language = bre::run_language(context);
    bre::indicator::CommutingNetwork network(context.dataset(), parameters);
    BRE_RETURN_IF_ERROR(network.run().with_context(where));
    if (network.graph().edge_count() == 0) {
      return bre::failed_precondition(where + ": the dataset's " +
                                      std::to_string(context.dataset().dataset().commuting_flows_size()) +
                                      " commuting flows give no tie between two municipalities");
    }
    *out.add_networks() = network.network_message();
    if (network.pairs_below_minimum() > 0) {
      out.add_warnings(bre::warning_where(context) + ": " + std::to_string(network.pairs_below_minimum()) +
                       bre::text_in(parameters.language, " paren gemeenten onder min_persons weggelaten",
                                    " municipality pairs under min_persons left out"));
    }
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(CommutingNetworkPlugin)
