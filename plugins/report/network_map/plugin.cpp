// report.network_map: the cooperation network drawn on the map (DOMAIN.md §1, the
// study's Figure 3), as the document network.svg. The drawing lives in libbre's
// bre/map; network_map.cpp picks the network; this file maps parameters.
#include <cstdint>
#include <string>
#include <utility>

#include "bre/map/classification.hpp"
#include "bre/language.hpp"
#include "bre/network.hpp"
#include "bre/parameter_decl.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "network_map.hpp"

namespace {

constexpr bre::ParameterDecl<std::int64_t> kClasses{"classes", 5, 2, 9, "Weight classes (line colours and widths) wanted."};
constexpr bre::ParameterDecl<std::int64_t> kStrongest{
    "strongest_per_municipality", 3, 0, 1000,
    "Ties drawn in full: each municipality's this many strongest (a tie is kept when either end keeps it); the "
    "others are faded. 0 = every tie in full (a hairball at national scale)."};

class NetworkMapPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(
               "report.network_map", bre::v1::PLUGIN_KIND_REPORT, "1.0.0",
               "SVG map of the cooperation network (network.svg, DOMAIN.md §1): each municipality's strongest "
               "ties in full, darker and thicker with more shared arrangements, the other ties faded beneath. "
               "Draws the first input step's network, else builds it from 'weighting' and 'kinds'. Given a "
               "partition among the inputs, draws its region borders and adds one regional zoom per region "
               "(network_<region id>.svg) for the report's region cards.")
        .parameters(bre::network_parameters())
        .parameter(kClasses.spec())
        .parameter(kStrongest.spec())
        .parameter(bre::bool_param("faded", true, "Draw the ties outside the strongest as thin light lines beneath."))
        .parameter(bre::bool_param("regional_maps", true,
                                   "With an input partition: one zoomed network map per region (network_<id>.svg)."))
        .parameter(bre::string_param(
            "method", "geometric", {"geometric", "natural_breaks", "quantile", "equal_interval"},
            "Class bounds: geometric = each class a constant factor wider (suits skewed counts), quantile = "
            "about as many pairs per class, natural_breaks = least within-class variance, equal_interval = equal "
            "weight ranges. No method leaves a class empty."))
        .parameter(bre::string_param("title", "", {}, "Map title; empty = \"Samenwerkingsnetwerk (<dataset>)\" in the run's language."))
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
    parameters.map.title = params.get_string("title");
    parameters.map.language = bre::run_language(context);
    parameters.map.strongest_per_municipality = static_cast<std::size_t>(kStrongest.read(params));
    parameters.map.show_faded = params.get_bool("faded");
    parameters.regional_maps = params.get_bool("regional_maps");
    bre::Expected<std::vector<bre::v1::Document>> documents =
        bre::report::network_map_documents(context.dataset(), context.inputs(), parameters);
    if (!documents) return documents.status().with_context(where);
    for (bre::v1::Document& document : *documents) *out.add_documents() = std::move(document);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(NetworkMapPlugin)
