// report.partition_map: the regions of the input partition on the map (DOMAIN.md §2,
// the study's Figure 3a), as the document partition.svg. The drawing lives in libbre's
// bre/map; this file maps parameters.
#include <string>
#include <utility>

#include "bre/language.hpp"
#include "bre/map/svg_map.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "partition_map.hpp"

namespace {

constexpr const char* kPluginName = "report.partition_map";

class PartitionMapPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(
               kPluginName, bre::v1::PLUGIN_KIND_REPORT, "1.0.0",
               "SVG map of the input partition (partition.svg): municipalities coloured by region, touching "
               "regions in different colours, region borders heavy, a label per region, unassigned hatched "
               "(DOMAIN.md §2).")
        .parameter(bre::string_param("title", "", {},
                                     "Map title; empty = \"Regio's van <partition> (<dataset>)\" in the run's language."))
        .parameter(bre::string_param("label", "name", {"name", "id"},
                                     "Region labels: the region's name or its id (R01, ...)."))
        .parameter(bre::string_param(
            "partition", "", {},
            "Name of the partition to draw among the input steps' partitions (e.g. \"bre_coarser\", a multiscale "
            "step's coarser level); empty = the first."))
        .parameter(bre::string_param(
            "colour_reference", "", {},
            "Name of a partition among the inputs whose map colours this one follows: regions matched to its "
            "regions by overlap keep their colour; empty = colours of this map alone."))
        .parameter(bre::string_param(
            "coarser", "", {},
            "Name of a partition among the inputs whose region borders are drawn heavier over this one's (the level "
            "above, e.g. \"bre_coarser\" of a multiscale step), so the nesting of the scales reads on one map; "
            "empty = none."))
        .consumes(bre::v1::ARTIFACT_KIND_PARTITION)
        .produces(bre::v1::ARTIFACT_KIND_DOCUMENT);
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = bre::step_where(context);
    bre::map::PartitionMapOptions options;
    bre::Expected<const bre::v1::Partition*> partition = partition_to_draw(context);
    if (!partition) return partition.status();
    const std::string& reference = context.params().get_string("colour_reference");
    if (!reference.empty()) {
      options.colour_reference = bre::input_partition_named(context, reference);
      if (options.colour_reference == nullptr) return no_partition_named(context, "colour_reference", reference);
    }
    const std::string& coarser = context.params().get_string("coarser");
    if (!coarser.empty()) {
      options.coarser = bre::input_partition_named(context, coarser);
      if (options.coarser == nullptr) return no_partition_named(context, "coarser", coarser);
    }
    options.title = context.params().get_string("title");
    options.language = bre::run_language(context);
    bre::Expected<bre::map::RegionLabel> label = bre::map::parse_region_label(context.params().get_string("label"));
    if (!label) return label.status().with_context(where + ": parameter 'label'");
    options.label = *label;
    bre::Expected<bre::v1::Document> document =
        bre::report::partition_map_document(context.dataset(), **partition, options);
    if (!document) return document.status().with_context(where);
    *out.add_documents() = std::move(*document);
    return bre::Status::ok();
  }

 private:
  static bre::Status no_partition_named(const bre::StepContext& context, const std::string& parameter,
                                        const std::string& name) {
    return bre::failed_precondition(bre::step_where(context) + ": parameter '" + parameter +
                                    "': no input step produced a partition named '" + name +
                                    "' (found: " + bre::input_partition_names(context) + ")");
  }

  // The partition named by 'partition', or the first among the inputs.
  static bre::Expected<const bre::v1::Partition*> partition_to_draw(const bre::StepContext& context) {
    const std::string& wanted = context.params().get_string("partition");
    if (wanted.empty()) return bre::require_input_partition(context, kPluginName);
    if (const bre::v1::Partition* partition = bre::input_partition_named(context, wanted)) return partition;
    return no_partition_named(context, "partition", wanted);
  }
};

}  // namespace

BRE_PLUGIN(PartitionMapPlugin)
