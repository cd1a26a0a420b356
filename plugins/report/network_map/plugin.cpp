// report.network_map: the cooperation network drawn on the map (DOMAIN.md §1, the
// study's Figure 3), as the document network.svg. The drawing lives in libbre's
// bre/map; network_map.cpp picks the network; this file maps parameters.
#include <cstdint>
#include <string>
#include <utility>

#include "bre/map/classification.hpp"
#include "bre/network.hpp"
#include "bre/parameter_decl.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "network_map.hpp"

namespace {

constexpr bre::ParameterDecl<std::int64_t> kClasses{"classes", 5, 2, 9, "Weight classes (line colours and widths) wanted."};

class NetworkMapPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(
               "report.network_map", bre::v1::PLUGIN_KIND_REPORT, "1.0.0",
               "SVG map of the cooperation network (network.svg): a line between every pair of cooperating "
               "municipalities, darker and thicker with more shared arrangements (DOMAIN.md §1). Draws the "
               "first input step's network, else builds it from 'weighting' and 'kinds'.")
        .parameters(bre::network_parameters())
        .parameter(kClasses.spec())
        .parameter(bre::string_param(
            "method", "geometric", {"geometric", "quantile", "equal_interval"},
            "Class bounds: geometric = each class a constant factor wider (suits skewed counts), quantile = "
            "about as many pairs per class, equal_interval = equal weight ranges."))
        .parameter(bre::string_param("title", "", {}, "Map title; empty = \"Cooperation network\"."))
        .produces(bre::v1::ARTIFACT_KIND_DOCUMENT)
        .uses_weights();
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = bre::step_where(context);
    const bre::Params& params = context.params();
    bre::report::NetworkMapParameters parameters;
    bre::Expected<bre::NetworkOptions> network = bre::network_options_from(params);
    if (!network) return network.status().with_context(where);
    parameters.network = *network;
    bre::Expected<bre::map::ClassMethod> method = bre::map::parse_class_method(params.get_string("method"));
    if (!method) return method.status().with_context(where + ": parameter 'method'");
    parameters.map.classes.method = *method;
    parameters.map.classes.class_count = static_cast<std::size_t>(kClasses.read(params));
    if (!params.get_string("title").empty()) parameters.map.title = params.get_string("title");
    bre::Expected<bre::v1::Document> document =
        bre::report::network_map_document(context.dataset(), context.inputs(), parameters);
    if (!document) return document.status().with_context(where);
    *out.add_documents() = std::move(*document);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(NetworkMapPlugin)
