// Puts every municipality in one region; records its seed and inputs in a warning
// so engine tests can see what the step was given.
#include "bre/partition.hpp"
#include "test_plugin_base.hpp"

namespace {
class SingleRegion : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    auto d = bre::test::test_description("test.single_region");
    d.set_kind(bre::v1::PLUGIN_KIND_REGION_DEFINITION);
    d.clear_produces();
    d.add_produces(bre::v1::ARTIFACT_KIND_PARTITION);
    *d.add_parameters() = bre::int_param("seed", 0, 0, 1000000, "0 = derive from the run seed");
    return d;
  }
  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const bre::Membership membership(context.dataset().municipality_count(), 0);
    *out.add_partitions() = bre::to_partition(context.dataset(), membership, context.step_id(),
                                              "test.single_region", 0.0, 1.0);
    std::string inputs;
    for (const auto& input : context.inputs()) inputs += input.step_id + ";";
    out.add_warnings("seed=" + std::to_string(context.seed()) + " inputs=" + inputs);
    return bre::Status::ok();
  }
};
}  // namespace

BRE_PLUGIN(SingleRegion)
