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

const bre::v1::Partition* input_partition_named(const bre::StepContext& context, const std::string& name) {
  for (const bre::StepInput& input : context.inputs()) {
    for (const bre::v1::Partition& partition : input.artifacts->partitions()) {
      if (partition.name() == name) return &partition;
    }
  }
  return nullptr;
}

std::string input_partition_names(const bre::StepContext& context) {
  std::string names;
  for (const bre::StepInput& input : context.inputs()) {
    for (const bre::v1::Partition& partition : input.artifacts->partitions()) {
      names += (names.empty() ? "" : ", ") + partition.name();
    }
  }
  return names.empty() ? "none" : names;
}

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
    *d.add_parameters() = bre::string_param(
        "partition", "", {},
        "Name of the partition to draw among the input steps' partitions (e.g. \"bre_coarser\", a multiscale "
        "step's coarser level); empty = the first.");
    *d.add_parameters() = bre::string_param(
        "colour_reference", "", {},
        "Name of a partition among the inputs whose map colours this one follows: regions matched to its "
        "regions by overlap keep their colour; empty = colours of this map alone.");
    d.add_consumes(bre::v1::ARTIFACT_KIND_PARTITION);
    d.add_produces(bre::v1::ARTIFACT_KIND_DOCUMENT);
    bre::v1::Capabilities* caps = d.mutable_capabilities();
    caps->set_deterministic_per_seed(true);
    caps->set_thread_safe(true);
    return d;
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    bre::map::PartitionMapOptions options;
    const std::string& wanted = context.params().get_string("partition");
    const bre::v1::Partition* partition =
        wanted.empty() ? context.input_partition() : input_partition_named(context, wanted);
    if (partition == nullptr) {
      return bre::failed_precondition(
          where + (wanted.empty() ? ": report.partition_map needs a partition from an input step (e.g. a "
                                    "clustering step), found none"
                                  : ": parameter 'partition': no input step produced a partition named '" + wanted +
                                        "' (found: " + input_partition_names(context) + ")"));
    }
    const std::string& reference = context.params().get_string("colour_reference");
    if (!reference.empty()) {
      options.colour_reference = input_partition_named(context, reference);
      if (options.colour_reference == nullptr) {
        return bre::failed_precondition(where + ": parameter 'colour_reference': no input step produced a partition "
                                                "named '" + reference + "' (found: " + input_partition_names(context) +
                                        ")");
      }
    }
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
