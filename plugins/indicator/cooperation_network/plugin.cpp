// indicator.cooperation_network: the cooperation network of DOMAIN.md §1 as a step
// result, for clustering steps and maps to read, with a table of its size. The
// computation lives in cooperation_network.cpp; this file maps parameters and artifacts.
#include <string>
#include <utility>

#include "bre/network.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "cooperation_network.hpp"

namespace {

class CooperationNetworkPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(
               "indicator.cooperation_network", bre::v1::PLUGIN_KIND_INDICATOR, "1.0.0",
               "The cooperation network (DOMAIN.md §1) as a network artifact that clustering steps and "
               "maps read, with a table of its size (nodes, edges, isolated, total weight, arrangements by kind).")
        .parameters(bre::network_parameters())
        .parameter(bre::string_list_param(
            "legal_forms", {}, bre::legal_form_names(),
            "Legal forms of the arrangements that count (DOMAIN.md §1); empty = every legal form."))
        .produces(bre::v1::ARTIFACT_KIND_NETWORK)
        .produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE)
        .uses_weights();
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = bre::step_where(context);
    const bre::Language language = bre::run_language(context);
    bre::Expected<bre::NetworkOptions> options = bre::network_options_from(context.params());
    if (!options) return options.status().with_context(where);
    for (const std::string& text : context.params().get_string_list("legal_forms")) {
      bre::Expected<bre::v1::LegalForm> form = bre::parse_legal_form(text);
      if (!form) return form.status().with_context(where + ": parameter 'legal_forms'");
      options->legal_forms.push_back(*form);
    }
    bre::Expected<bre::indicator::CooperationNetworkResult> result =
        bre::indicator::compute_cooperation_network(context.dataset(), *options, "cooperation", language);
    if (!result) return result.status().with_context(where);
    const double counted = result->size_table.summary_rows(0).values(4);
    if (counted == 0.0) {
      const std::string filter = bre::indicator::describe_network_options(*options, language);
      out.add_warnings(bre::warning_where(context) + ": " +
                       bre::Bilingual{"geen samenwerkingsverband komt door het filter op soort en rechtsvorm (" + filter +
                                          "); het netwerk heeft geen banden",
                                      "no arrangement passes the kind and legal-form filter (" + filter +
                                          "); the network has no ties"}
                           .in(language));
    }
    *out.add_networks() = std::move(result->network);
    *out.add_tables() = std::move(result->size_table);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(CooperationNetworkPlugin)
