// clustering.contiguous: BREs as a spatially constrained regionalisation (DOMAIN.md
// §2): every region is one connected piece on the map (Dataset.adjacency), merged
// greedily by modularity gain on the cooperation network or an input network. The
// algorithm lives in contiguous.cpp.
#include <string>
#include <vector>

#include "bre/network.hpp"
#include "bre/parameter_decl.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/region_constraints.hpp"
#include "clustering_plugin.hpp"
#include "contiguous.hpp"

namespace {

constexpr const char* kPluginName = "clustering.contiguous";

class ContiguousPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    // Contiguous by construction; enforce_contiguity is accepted and changes nothing
    // (islands stay with their strongest tie under both). No randomness at all.
    return bre::clustering::describe_clustering(
        kPluginName,
        "BREs as contiguous regions: neighbouring municipalities on the map merged greedily by "
        "modularity gain on the cooperation network (or the first input network), to maximum "
        "modularity or a number of regions; islands join the region of their strongest tie "
        "(DOMAIN.md §2).",
        {bre::kResolution.with_minimum(1e-6).spec(
             "Resolution gamma of the modularity maximised: 1 = classic, higher = more and smaller regions."),
         bre::int_param("regions", 0, 0, 100000,
                        "Number of regions on the land (islands join one of them; before min_region_size "
                        "merges); 0 = stop at maximum modularity.")},
        /*seed_use=*/"", /*fixed_region_count=*/true);
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    bre::Expected<bre::Graph> ties = bre::clustering_graph(context);
    if (!ties) return ties.status().with_context(where);
    bre::Expected<bre::Graph> map = bre::map_adjacency_graph(context.dataset());
    if (!map) return map.status().with_context(where);
    bre::clustering::ContiguousParameters parameters;
    parameters.resolution = bre::kResolution.read(context.params());
    parameters.regions = context.params().get_int("regions");
    bre::clustering::ContiguousAgglomeration algorithm(*ties, *map, parameters);
    BRE_RETURN_IF_ERROR(bre::clustering::cluster_and_emit(
                            context, *ties, {kPluginName, "contiguous regionalisation", parameters.resolution},
                            [&] { return bre::clustering::run_for_membership(algorithm); }, out)
                            .status());
    if (!algorithm.islands().empty()) {
      out.add_warnings(bre::warning_where(context) + ": " +
                       bre::clustering::municipality_list_warning(
                           context.dataset(), algorithm.islands(), bre::run_language(context),
                           {"hebben geen buurgemeente over land en zijn ingedeeld bij de regio van hun sterkste band, "
                            "de uitzondering op aaneengeslotenheid",
                            "have no land neighbour and joined the region of their strongest tie, the exception to "
                            "contiguity"}));
    }
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(ContiguousPlugin)
