// region.provinces: the provinces, or any region definition the dataset carries (COROP,
// safety regions, a department's own regions), as a partition to compare BREs with
// (DOMAIN.md §1-2). The work is in provinces.cpp; this file maps parameters.
#include <string>
#include <utility>

#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "provinces.hpp"

namespace {

constexpr const char* kPluginName = "region.provinces";

std::string join_codes(const google::protobuf::RepeatedPtrField<std::string>& codes, int limit) {
  std::string text;
  for (int i = 0; i < codes.size() && i < limit; ++i) text += (i == 0 ? "" : ", ") + codes[i];
  if (codes.size() > limit) text += ", ...";
  return text;
}

class ProvincesPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(kPluginName, bre::v1::PLUGIN_KIND_REGION_DEFINITION, "1.0.0",
                                "One region per province (from the municipalities' province codes), or a region "
                                "definition of the dataset such as COROP, as a partition to compare BREs with.")
        .parameter(bre::string_param(
            "definition", "", {},
            "Name of a region definition in the dataset to use instead of the provinces (e.g. "
            "\"COROP\"), or of a division of its arrangements (e.g. \"GGD's\": one region per arrangement); "
            "empty = provinces from the municipalities' province codes."))
        .produces(bre::v1::ARTIFACT_KIND_PARTITION);
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = bre::step_where(context);
    const std::string& definition = context.params().get_string("definition");
    bre::Expected<bre::v1::Partition> partition =
        definition.empty() ? bre::region::provinces_partition(context.dataset())
                           : bre::region::named_definition_partition(context.dataset(), definition);
    if (!partition) {
      return partition.status().with_context(definition.empty() ? where : where + ": parameter 'definition'");
    }
    partition->set_name(context.step_id());
    partition->set_source(kPluginName);
    if (partition->unassigned_size() > 0) {
      const bre::Language language = bre::run_language(context);
      const std::string count = std::to_string(partition->unassigned_size());
      const bool one = partition->unassigned_size() == 1;
      const std::string dutch_reason = definition.empty() ? (one ? "heeft geen provinciecode" : "hebben geen provinciecode")
                                                          : std::string(one ? "ligt" : "liggen") +
                                                                " in geen regio van indeling '" + definition + "'";
      const std::string english_reason = definition.empty() ? "have no province code"
                                                            : "are in no region of definition '" + definition + "'";
      out.add_warnings(bre::warning_where(context) + ": " +
                       bre::Bilingual{count + (one ? " gemeente " : " gemeenten ") + dutch_reason +
                                          (one ? " en blijft zonder regio: " : " en blijven zonder regio: "),
                                      count + " municipalities " + english_reason + " and are left unassigned: "}
                           .in(language) +
                       join_codes(partition->unassigned(), 10));
    }
    *out.add_partitions() = std::move(*partition);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(ProvincesPlugin)
