// report.network_map: the cooperation network drawn on the map (DOMAIN.md §1, the
// study's Figure 3), as the document network.svg. The drawing lives in libbre's
// bre/map; network_map.cpp picks the network; this file maps parameters.
#include <string>
#include <utility>

#include "bre/map/classification.hpp"
#include "bre/network.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "network_map.hpp"

namespace {

class NetworkMapPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d;
    d.set_name("report.network_map");
    d.set_kind(bre::v1::PLUGIN_KIND_REPORT);
    d.set_version("1.0.0");
    d.set_summary(
        "SVG map of the cooperation network (network.svg): a line between every pair of cooperating "
        "municipalities, darker and thicker with more shared arrangements (DOMAIN.md §1). Draws the "
        "first input step's network, else builds it from 'weighting' and 'kinds'.");
    for (auto& spec : bre::network_parameters()) *d.add_parameters() = std::move(spec);
    *d.add_parameters() = bre::int_param("classes", 5, 2, 9, "Weight classes (line colours and widths) wanted.");
    *d.add_parameters() = bre::string_param(
        "method", "geometric", {"geometric", "quantile", "equal_interval"},
        "Class bounds: geometric = each class a constant factor wider (suits skewed counts), quantile = "
        "about as many pairs per class, equal_interval = equal weight ranges.");
    *d.add_parameters() = bre::string_param("title", "", {}, "Map title; empty = \"Cooperation network\".");
    d.add_produces(bre::v1::ARTIFACT_KIND_DOCUMENT);
    bre::v1::Capabilities* caps = d.mutable_capabilities();
    caps->set_uses_weights(true);
    caps->set_deterministic_per_seed(true);
    caps->set_thread_safe(true);
    return d;
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    const bre::Params& params = context.params();
    bre::report::NetworkMapParameters parameters;
    bre::Expected<bre::NetworkOptions> network = bre::network_options_from(params);
    if (!network) return network.status().with_context(where);
    parameters.network = *network;
    bre::Expected<bre::map::ClassMethod> method = bre::map::parse_class_method(params.get_string("method"));
    if (!method) return method.status().with_context(where + ": parameter 'method'");
    parameters.map.classes.method = *method;
    parameters.map.classes.class_count = static_cast<std::size_t>(params.get_int("classes"));
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
