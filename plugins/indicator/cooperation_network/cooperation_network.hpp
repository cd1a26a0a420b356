// The cooperation network of DOMAIN.md §1 as a step result: the weighted graph itself
// (so clustering steps and maps downstream use exactly this network) and a one-row
// table describing its size.
#pragma once

#include <string>

#include "bre/language.hpp"
#include "bre/dataset.hpp"
#include "bre/network.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::indicator {

struct CooperationNetworkResult {
  v1::Network network;
  /// Table "network_size": one summary row "NL" with the columns of kNetworkSizeColumns.
  v1::IndicatorTable size_table;
};

/// Column ids of the size table, in table order.
inline constexpr const char* kNetworkSizeColumns[] = {
    "nodes",                  "edges",                    "isolated",
    "total_weight",           "arrangements_counted",     "arrangements_cooperation",
    "arrangements_societal",  "arrangements_state",       "arrangements_statistical"};

/// Builds the cooperation network of the dataset under `options` (DOMAIN.md §1,
/// build_cooperation_network) and describes it.
///
/// - network: nodes are all municipalities in dataset order, one edge per pair
///   sharing at least one counted arrangement, weight w(i,j) = number of shared
///   arrangements (count) or the sum of 1/(|a|-1) over them (fractional); named `name`.
/// - size_table, one row "NL": nodes = municipalities; edges = pairs with w > 0;
///   isolated = municipalities without any tie; total_weight = sum of w over edges;
///   arrangements_counted = arrangements that pass the kind and legal-form filter and
///   have at least two distinct municipalities; arrangements_<kind> = those of each kind.
///
/// Errors: an empty options.kinds; an unknown municipality code in a counted
/// arrangement (names the arrangement). Complexity: O(sum over counted arrangements of
/// |a|^2 + n + m log m).
Expected<CooperationNetworkResult> compute_cooperation_network(const DatasetIndex& index,
                                                               const NetworkOptions& options,
                                                               const std::string& name,
                                                               Language language = Language::kDutch);

/// One line saying how the network was built: the parameters as a pipeline spells them
/// ("weighting count; kinds cooperation; legal_forms (all)"), the same in both languages
/// but for "(alle)" / "(all)" (the network map reads the weighting from it).
std::string describe_network_options(const NetworkOptions& options, Language language = Language::kDutch);

}  // namespace bre::indicator
