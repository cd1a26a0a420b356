#include "multiscale.hpp"

#include <cmath>
#include <algorithm>
#include <cstdio>
#include <map>

#include "ensemble.hpp"
#include "indicator_table.hpp"

namespace bre::clustering {
namespace {

using indicator::add_column;
using indicator::add_row;
using indicator::kNaN;

const std::vector<std::string>& level_categories() {
  static const std::vector<std::string> levels = {"selected", "coarser"};
  return levels;
}

// 0 = the selected plateau, 1 = the coarser level, NaN = neither.
double level_of(std::int32_t plateau, const clustering::SelectedScale& selected) {
  if (plateau >= 0 && plateau == selected.plateau) return 0.0;
  if (plateau >= 0 && plateau == selected.coarser_plateau) return 1.0;
  return kNaN;
}

// "G01".."G61", "S1".."S9": ids as wide as the largest, so they sort as text.
std::string numbered_id(char prefix, std::size_t index, std::size_t count) {
  const int digits = count < 100 ? 2 : static_cast<int>(std::to_string(count).size());
  char text[32];
  std::snprintf(text, sizeof text, "%c%0*zu", prefix, digits, index + 1);
  return text;
}

std::string resolution_label(double resolution, Language language) {
  char text[48];
  std::snprintf(text, sizeof text, "%.4g", resolution);
  return text_in(language, "resolutie ", "resolution ") + decimal_notation(language, text);
}

}  // namespace

std::vector<v1::ParameterSpec> multiscale_parameters() {
  return {
      double_param("resolution_min", 0.1, 1e-6, 1e6,
                   "Lowest modularity resolution of the profile's log-spaced grid (coarsest scale)."),
      double_param("resolution_max", 100.0, 1e-6, 1e6,
                   "Highest resolution of the grid (finest scale); must exceed resolution_min."),
      int_param("resolution_count", 61, 2, clustering::kMaxProfileResolutions,
                "Grid points, log-spaced from resolution_min to resolution_max (61 over 0.1-100 = 20 a decade)."),
      string_list_param("algorithms", {"leiden", "louvain"}, {"leiden", "louvain"},
                        "Native modularity algorithms run at every grid point.", 1),
      int_param("seeds", 4, 1, 1000,
                "Members per algorithm and grid point, each with its own seed; their agreement is the "
                "profile's seed agreement. Grid points x algorithms x seeds is at most 200,000."),
      double_param("min_seed_agreement", 0.9, 0.0, 1.0,
                   "A stable plateau's members agree at least this much (mean pairwise adjusted Rand index)."),
      double_param("min_plateau_decades", 0.1, 0.0, 10.0,
                   "A stable plateau spans at least this many decades of resolution (0.1 = a factor 1.26)."),
      double_param("same_partition_ari", 0.98, 0.01, 1.0,
                   "Neighbouring domains of optimality whose partitions agree this much (ARI) form one plateau."),
      string_param("scale", "auto", {"auto", "finest_stable", "coarsest_stable", "regions", "rank"},
                   "Which plateau gives the step's partition: auto = the widest stable plateau; the finest or "
                   "coarsest stable one; the one with a region count nearest target_regions; or by plateau_rank."),
      int_param("target_regions", 0, 0, 1000000, "With scale = regions: the region count wanted (>= 2)."),
      int_param("plateau_rank", 0, 0, 10000, "With scale = rank: the width rank of the plateau (1 = widest)."),
      int_param("members", 100, 0, 100000,
                "Members of the ensemble run at the selected plateau's resolutions, whose consensus is the step's "
                "partition with each municipality's membership confidence; 0 = the plateau's own partition, "
                "without confidence."),
      double_param("consensus_threshold", 0.5, 0.0, 0.99,
                   "Co-assignment share below which a tie is left out of the consensus graph "
                   "(Lancichinetti & Fortunato 2012)."),
  };
}

Expected<MultiscaleOptions> multiscale_options(const Params& params, std::uint64_t seed) {
  MultiscaleOptions options;
  clustering::ResolutionProfileParameters& profile = options.profile;
  profile.resolution_min = params.get_double("resolution_min");
  profile.resolution_max = params.get_double("resolution_max");
  profile.resolution_count = params.get_int("resolution_count");
  Expected<clustering::CommunityDetectionList> algorithms = algorithms_from(params);
  if (!algorithms) return algorithms.status();
  profile.algorithms = std::move(*algorithms);
  profile.seeds = params.get_int("seeds");
  profile.min_seed_agreement = params.get_double("min_seed_agreement");
  profile.min_plateau_decades = params.get_double("min_plateau_decades");
  profile.same_partition_ari = params.get_double("same_partition_ari");
  profile.seed = seed;
  // The range itself (empty, reversed) is checked by the profile, which names the parameter.

  Expected<clustering::ScaleRequest::Kind> kind = clustering::parse_scale_kind(params.get_string("scale"));
  if (!kind) return kind.status().with_context("parameter 'scale'");
  options.request.kind = *kind;
  const bool wants_regions = *kind == clustering::ScaleRequest::Kind::kRegions;
  const bool wants_rank = *kind == clustering::ScaleRequest::Kind::kRank;
  const std::int64_t target = params.get_int("target_regions");
  const std::int64_t rank = params.get_int("plateau_rank");
  if (wants_regions != (target != 0)) {
    return invalid_argument(wants_regions ? "parameter 'target_regions': scale = regions needs a region count >= 2"
                                          : "parameter 'target_regions': used only with scale = regions, found " +
                                                std::to_string(target) + " with scale = " + params.get_string("scale"));
  }
  if (wants_rank != (rank != 0)) {
    return invalid_argument(wants_rank ? "parameter 'plateau_rank': scale = rank needs a rank >= 1"
                                       : "parameter 'plateau_rank': used only with scale = rank, found " +
                                             std::to_string(rank) + " with scale = " + params.get_string("scale"));
  }
  if (wants_regions && target < 2) {
    return invalid_argument("parameter 'target_regions': expected a region count >= 2, found " + std::to_string(target));
  }
  options.request.target_regions = static_cast<std::int32_t>(target);
  options.request.rank = wants_rank ? static_cast<std::int32_t>(rank) : 1;
  options.members = params.get_int("members");
  options.consensus_threshold = params.get_double("consensus_threshold");
  return options;
}

v1::IndicatorTable profile_table(const clustering::ResolutionProfile& profile,
                                 const clustering::SelectedScale& selected, const std::string& partition_name,
                                 Language language) {
  v1::IndicatorTable table;
  table.set_name("scale_profile");
  table.set_partition_name(partition_name);
  const std::vector<clustering::Plateau>& plateaus = profile.plateaus();
  std::vector<std::string> plateau_ids;
  for (std::size_t i = 0; i < plateaus.size(); ++i) plateau_ids.push_back(numbered_id('S', i, plateaus.size()));
  const Language l = language;
  add_column(table, l, "resolution", {"Resolutie", "Resolution"}, "gamma",
             {"Modulariteitsresolutie van het roosterpunt (logaritmisch verdeeld).",
              "Modularity resolution of the grid point (log-spaced)."});
  add_column(table, l, "regions", {"Regio's", "Regions"}, "count",
             {"Regio's van de beste partitie van het punt (hoogste modulariteit onder zijn leden); gemeenten "
              "zonder band tellen niet mee.",
              "Regions of the point's best partition (highest modularity among its members); municipalities "
              "without a tie are not counted."});
  add_column(table, l, "regions_min", {"Minste regio's", "Fewest regions"}, "count",
             {"Minste regio's onder de leden van het punt.", "Fewest regions among the point's members."});
  add_column(table, l, "regions_max", {"Meeste regio's", "Most regions"}, "count",
             {"Meeste regio's onder de leden van het punt.", "Most regions among the point's members."});
  add_column(table, l, "modularity", {"Modulariteit", "Modularity"}, "",
             {"Modulariteit van de beste partitie bij deze resolutie.",
              "Modularity of the best partition at this resolution."});
  add_column(table, l, "seed_ari", {"Overeenstemming tussen seeds (ARI)", "Seed agreement (ARI)"}, "share",
             {"Gemiddelde adjusted Rand index over alle paren leden van het punt (seeds x algoritmen).",
              "Mean adjusted Rand index over all pairs of the point's members (seeds x algorithms)."});
  add_column(table, l, "seed_nmi", {"Overeenstemming tussen seeds (NMI)", "Seed agreement (NMI)"}, "share",
             {"Gemiddelde genormaliseerde wederzijdse informatie over alle paren leden van het punt.",
              "Mean normalised mutual information over all pairs of the point's members."});
  add_column(table, l, "vi_next", {"Afstand tot de volgende resolutie", "Distance to the next resolution"},
             "share of ln n",
             {"Variatie van informatie tussen de beste partities van dit en het volgende punt, gedeeld door ln n.",
              "Variation of information between this point's and the next point's best partitions, over ln n."});
  add_column(table, l, "plateau", {"Plateau", "Plateau"}, "",
             {"Het plateau waarvan het resolutiebereik het punt bevat.",
              "The plateau whose resolution range holds the point."},
             plateau_ids);
  add_column(table, l, "level", {"Niveau", "Level"}, "",
             {"Of het punt in het gekozen plateau of in het grovere niveau ligt.",
              "Whether the point lies in the selected plateau or the coarser level."},
             level_categories());
  const std::vector<clustering::ProfilePoint>& points = profile.points();
  for (std::size_t k = 0; k < points.size(); ++k) {
    const clustering::ProfilePoint& point = points[k];
    v1::IndicatorRow& row =
        add_row(table, numbered_id('G', k, points.size()), resolution_label(point.resolution, language));
    row.set_values(0, point.resolution);
    row.set_values(1, point.regions);
    row.set_values(2, point.regions_min);
    row.set_values(3, point.regions_max);
    row.set_values(4, point.modularity);
    row.set_values(5, point.seed_ari);
    row.set_values(6, point.seed_nmi);
    row.set_values(7, point.vi_next);
    row.set_values(8, point.plateau >= 0 ? static_cast<double>(point.plateau) : kNaN);
    row.set_values(9, level_of(point.plateau, selected));
  }
  return table;
}

v1::IndicatorTable plateau_table(const clustering::ResolutionProfile& profile,
                                 const clustering::SelectedScale& selected, const std::string& partition_name,
                                 Language language) {
  v1::IndicatorTable table;
  table.set_name("scale_plateaus");
  table.set_partition_name(partition_name);
  std::vector<std::string> statuses;
  for (auto status : {clustering::PlateauStatus::kStable, clustering::PlateauStatus::kNarrow,
                      clustering::PlateauStatus::kUnstableSeeds, clustering::PlateauStatus::kEdgeOfRange,
                      clustering::PlateauStatus::kTrivial}) {
    statuses.emplace_back(clustering::plateau_status_name(status));
  }
  const Language l = language;
  add_column(table, l, "resolution_from", {"Vanaf resolutie", "From resolution"}, "gamma",
             {"Laagste resolutie waarbij de partities van het plateau de beste gevonden zijn (CHAMP-domein van "
              "optimaliteit).",
              "Lowest resolution at which the plateau's partitions are the best found (CHAMP domain of optimality)."});
  add_column(table, l, "resolution_to", {"Tot resolutie", "To resolution"}, "gamma",
             {"Hoogste resolutie van het plateau.", "Highest resolution of the plateau."});
  add_column(table, l, "decades", {"Breedte", "Width"}, "decades",
             {"log10(tot / vanaf): de breedte van het plateau in decaden resolutie.",
              "log10(to / from): the plateau's width in decades of resolution."});
  add_column(table, l, "regions", {"Regio's", "Regions"}, "count",
             {"Regio's van de partitie van het plateau (die van zijn breedste domein).",
              "Regions of the plateau's partition (its widest domain's)."});
  add_column(table, l, "domains", {"Domeinen", "Domains"}, "count",
             {"Domeinen van optimaliteit die in het plateau zijn samengevoegd (partities die binnen "
              "same_partition_ari overeenkomen).",
              "Domains of optimality merged into the plateau (partitions that agree to within same_partition_ari)."});
  add_column(table, l, "seed_ari", {"Overeenstemming tussen seeds (ARI)", "Seed agreement (ARI)"}, "share",
             {"Gemiddelde overeenstemming tussen seeds van de roosterpunten binnen het plateau (het dichtstbijzijnde "
              "punt als het er geen bevat).",
              "Mean seed agreement of the grid points inside the plateau (the nearest one when it holds none)."});
  add_column(table, l, "modularity", {"Modulariteit", "Modularity"}, "",
             {"Modulariteit van de partitie van het plateau in het geometrische midden van zijn bereik.",
              "Modularity of the plateau's partition at the geometric centre of its range."});
  add_column(table, l, "status", {"Status", "Status"}, "",
             {"stabiel, of waarom niet: smaller dan min_plateau_decades, seeds die minder overeenstemmen dan "
              "min_seed_agreement, raakt een uiteinde van het bereik (de breedte is onbekend), triviaal (één regio, "
              "of minder dan twee gemeenten per regio).",
              "stable, or why not: narrower than min_plateau_decades, seeds disagreeing below min_seed_agreement, "
              "touching an end of the range (its width is unknown), trivial (one region, or fewer than two "
              "municipalities per region)."},
             statuses);
  add_column(table, l, "width_rank", {"Rang", "Rank"}, "",
             {"Rang naar breedte onder de stabiele plateaus (1 = breedste).",
              "Rank by width among the stable plateaus (1 = widest)."});
  add_column(table, l, "level", {"Niveau", "Level"}, "",
             {"Het gekozen plateau, en het grovere niveau waarin zijn regio's liggen.",
              "The plateau selected, and the coarser level its regions nest in."},
             level_categories());
  const std::vector<clustering::Plateau>& plateaus = profile.plateaus();
  for (std::size_t i = 0; i < plateaus.size(); ++i) {
    const clustering::Plateau& plateau = plateaus[i];
    v1::IndicatorRow& row =
        add_row(table, numbered_id('S', i, plateaus.size()),
                std::to_string(plateau.regions) + text_in(language, " regio's", " regions"));
    row.set_values(0, plateau.resolution_from);
    row.set_values(1, plateau.resolution_to);
    row.set_values(2, plateau.decades);
    row.set_values(3, plateau.regions);
    row.set_values(4, static_cast<double>(plateau.domains));
    row.set_values(5, plateau.seed_ari);
    row.set_values(6, plateau.modularity);
    row.set_values(7, static_cast<double>(plateau.status));
    row.set_values(8, plateau.stable() ? static_cast<double>(plateau.width_rank) : kNaN);
    row.set_values(9, level_of(static_cast<std::int32_t>(i), selected));
  }
  return table;
}

v1::IndicatorTable nesting_table(const v1::Partition& fine, const Membership& fine_membership,
                                 const v1::Partition& coarse, const Membership& coarse_membership,
                                 Language language) {
  v1::IndicatorTable table;
  table.set_name("nesting");
  table.set_partition_name(fine.name());
  // Categories are the coarse regions' names, made unique with their id where two coincide.
  std::map<std::string, int> name_count;
  for (const v1::Region& region : coarse.regions()) ++name_count[region.name()];
  std::vector<std::string> parents;
  for (const v1::Region& region : coarse.regions()) {
    parents.push_back(name_count[region.name()] > 1 ? region.name() + " (" + region.id() + ")" : region.name());
  }
  add_column(table, language, "coarser_region", {"Deel van", "Part of"}, "",
             {"De regio van het grovere niveau (" + coarse.name() + ") die de meeste gemeenten van deze regio bevat.",
              "The region of the coarser level (" + coarse.name() + ") that holds most of this region's municipalities."},
             parents);
  add_column(table, language, "share_in_coarser", {"Aandeel daarbinnen", "Share inside it"}, "share",
             {"Aandeel van de gemeenten van deze regio dat in die grovere regio ligt.",
              "Share of this region's municipalities that lie in that coarser region."});
  const std::size_t fine_regions = static_cast<std::size_t>(fine.regions_size());
  const std::size_t coarse_regions = static_cast<std::size_t>(coarse.regions_size());
  std::vector<std::vector<double>> overlap(fine_regions, std::vector<double>(coarse_regions, 0.0));
  std::vector<double> size(fine_regions, 0.0);
  for (std::size_t v = 0; v < fine_membership.size(); ++v) {
    if (fine_membership[v] == kUnassigned) continue;
    const auto f = static_cast<std::size_t>(fine_membership[v]);
    size[f] += 1.0;
    if (coarse_membership[v] != kUnassigned) overlap[f][static_cast<std::size_t>(coarse_membership[v])] += 1.0;
  }
  for (std::size_t f = 0; f < fine_regions; ++f) {
    v1::IndicatorRow& row = add_row(table, fine.regions(static_cast<int>(f)).id(), fine.regions(static_cast<int>(f)).name());
    std::size_t best = 0;
    for (std::size_t c = 1; c < coarse_regions; ++c) {
      if (overlap[f][c] > overlap[f][best]) best = c;
    }
    if (coarse_regions > 0 && overlap[f][best] > 0.0) {
      row.set_values(0, static_cast<double>(best));
      row.set_values(1, overlap[f][best] / size[f]);
    }
  }
  return table;
}

}  // namespace bre::clustering
