// report.partition_map: the regions of the input partition on the map (DOMAIN.md §2,
// the study's Figure 3a), as the document partition.svg. The drawing lives in libbre's
// bre/map; this file maps parameters.
#include <string>
#include <utility>

#include "bre/map/svg_map.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "partition_map.hpp"

namespace {

class PartitionMapPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d;
    d.set_name("report.partition_map");
    d.set_kind(bre::v1::PLUGIN_KIND_REPORT);
    d.set_version("1.0.0");
    d.set_summary(
        "SVG map of the input partition (partition.svg): municipalities coloured by region, touching "
        "regions in different colours, region borders heavy, a label per region, unassigned hatched "
        "(DOMAIN.md §2).");
    *d.add_parameters() = bre::string_param("title", "", {}, "Map title; empty = \"Regions: <partition name>\".");
    *d.add_parameters() =
        bre::string_param("label", "name", {"name", "id"}, "Region labels: the region's name or its id (R01, ...).");
    d.add_consumes(bre::v1::ARTIFACT_KIND_PARTITION);
    d.add_produces(bre::v1::ARTIFACT_KIND_DOCUMENT);
    bre::v1::Capabilities* caps = d.mutable_capabilities();
    caps->set_deterministic_per_seed(true);
    caps->set_thread_safe(true);
    return d;
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    const bre::v1::Partition* partition = context.input_partition();
    if (partition == nullptr) {
      return bre::failed_precondition(where +
                                      ": report.partition_map needs a partition from an input step (e.g. a "
                                      "clustering step), found none");
    }
    bre::map::PartitionMapOptions options;
    options.title = context.params().get_string("title");
    bre::Expected<bre::map::RegionLabel> label = bre::map::parse_region_label(context.params().get_string("label"));
    if (!label) return label.status().with_context(where + ": parameter 'label'");
    options.label = *label;
    bre::Expected<bre::v1::Document> document =
        bre::report::partition_map_document(context.dataset(), *partition, options);
    if (!document) return document.status().with_context(where);
    *out.add_documents() = std::move(*document);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(PartitionMapPlugin)
