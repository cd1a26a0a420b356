#include "cooperation_network.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>

#include "indicator_table.hpp"

namespace bre::indicator {
namespace {

std::string legal_form_name(v1::LegalForm form) {
  std::string name = v1::LegalForm_Name(form).substr(std::string("LEGAL_FORM_").size());
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

}  // namespace

std::string describe_network_options(const NetworkOptions& options, Language language) {
  // Parameter names and values as a pipeline spells them, in both languages: readers
  // (the network map's legend) find "weighting count" / "weighting fractional" here.
  std::string text = std::string("weighting ") + (options.weighting == Weighting::kCount ? "count" : "fractional") +
                     "; kinds ";
  for (std::size_t i = 0; i < options.kinds.size(); ++i) text += (i == 0 ? "" : ", ") + arrangement_kind_name(options.kinds[i]);
  text += "; legal_forms ";
  if (options.legal_forms.empty()) text += text_in(language, "(alle)", "(all)");
  for (std::size_t i = 0; i < options.legal_forms.size(); ++i) {
    text += (i == 0 ? "" : ", ") + legal_form_name(options.legal_forms[i]);
  }
  return text;
}

Expected<CooperationNetworkResult> compute_cooperation_network(const DatasetIndex& index,
                                                               const NetworkOptions& options,
                                                               const std::string& name, Language l) {
  if (options.kinds.empty()) {
    return invalid_argument("kinds: expected at least one arrangement kind, found none");
  }
  Expected<Graph> graph = build_cooperation_network(index, options);
  if (!graph) return graph.status();

  // Arrangements that add ties, by kind; the network builder has checked their codes.
  double counted = 0.0;
  double by_kind[5] = {0.0, 0.0, 0.0, 0.0, 0.0};
  std::set<std::string> members;
  for (const v1::Arrangement& arrangement : index.dataset().arrangements()) {
    if (!counts_as_cooperation(arrangement, options)) continue;
    members.clear();
    members.insert(arrangement.municipality_codes().begin(), arrangement.municipality_codes().end());
    if (members.size() < 2) continue;
    counted += 1.0;
    const int kind = arrangement.kind();
    if (kind >= 0 && kind < 5) by_kind[kind] += 1.0;
  }

  double isolated = 0.0;
  for (std::uint32_t node = 0; node < graph->node_count(); ++node) {
    const auto neighbours = graph->neighbours(node);
    const bool tied = std::any_of(neighbours.begin(), neighbours.end(),
                                  [node](const Neighbour& n) { return n.node != node && n.weight > 0.0; });
    if (!tied) isolated += 1.0;
  }

  CooperationNetworkResult result;
  result.network = to_network_message(
      *graph, index, name,
      text_in(l, "samenwerkingsnetwerk (DOMAIN.md §1): ", "cooperation network (DOMAIN.md §1): ") +
          describe_network_options(options, l));
  v1::IndicatorTable& table = result.size_table;
  table.set_name("network_size");
  add_column(table, l, "nodes", {"Gemeenten (knopen)", "Municipalities (nodes)"}, "count",
             {"Gemeenten van de dataset (DOMAIN.md §1).", "Municipalities of the dataset (DOMAIN.md §1)."});
  add_column(table, l, "edges", {"Samenwerkende paren (lijnen)", "Cooperating pairs (edges)"}, "count",
             {"Paren gemeenten met ten minste één getelde samenwerking samen.",
              "Pairs of municipalities sharing at least one counted arrangement."});
  add_column(table, l, "isolated", {"Gemeenten zonder banden", "Municipalities without ties"}, "count",
             {"Gemeenten die met geen enkele andere gemeente een getelde samenwerking delen.",
              "Municipalities sharing no counted arrangement with any other."});
  add_column(table, l, "total_weight", {"Totaal lijngewicht", "Total edge weight"},
             options.weighting == Weighting::kCount ? "arrangements" : "",
             {"Som van w(i,j) over alle paren (DOMAIN.md §1, weging count of fractional).",
              "Sum of w(i,j) over all pairs (DOMAIN.md §1, count or fractional weighting)."});
  add_column(table, l, "arrangements_counted", {"Getelde samenwerkingsverbanden", "Arrangements counted"}, "count",
             {"Samenwerkingsverbanden van de gekozen soorten en rechtsvormen met ten minste twee gemeenten.",
              "Arrangements of the selected kinds and legal forms with at least two municipalities."});
  for (v1::ArrangementKind kind : {v1::ARRANGEMENT_KIND_COOPERATION, v1::ARRANGEMENT_KIND_SOCIETAL,
                                   v1::ARRANGEMENT_KIND_STATE, v1::ARRANGEMENT_KIND_STATISTICAL}) {
    const std::string kind_name = arrangement_kind_name(kind);
    // The kinds of arrangement (cooperation, societal, state or statistical division) in Dutch.
    const std::string kind_nl = kind == v1::ARRANGEMENT_KIND_COOPERATION ? "samenwerking"
                                : kind == v1::ARRANGEMENT_KIND_SOCIETAL  ? "maatschappelijk"
                                : kind == v1::ARRANGEMENT_KIND_STATE     ? "rijksindeling"
                                                                         : "statistische indeling";
    add_column(table, l, "arrangements_" + kind_name,
               {"Getelde samenwerkingsverbanden: " + kind_nl, "Arrangements counted: " + kind_name}, "count",
               {"Getelde samenwerkingsverbanden van de soort " + kind_nl + ".",
                "Counted arrangements of kind " + kind_name + "."});
  }
  v1::IndicatorRow* row = table.add_summary_rows();
  row->set_region_id("NL");
  row->set_region_name(text_in(l, "alle gemeenten", "all municipalities"));
  row->add_values(static_cast<double>(graph->node_count()));
  row->add_values(static_cast<double>(result.network.edges_size()));
  row->add_values(isolated);
  row->add_values(graph->total_weight());
  row->add_values(counted);
  for (int kind = 1; kind <= 4; ++kind) row->add_values(by_kind[kind]);
  return result;
}

}  // namespace bre::indicator
