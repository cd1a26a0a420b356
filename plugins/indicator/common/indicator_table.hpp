// Building and reading bre.v1.IndicatorTable messages: the shape every indicator
// plugin emits (one row per region, summary rows such as "NL").
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bre/language.hpp"
#include "bre/plugin_helpers.hpp"
#include "bre/v1/dataset.pb.h"
#include "bre/v1/results.pb.h"

namespace bre::indicator {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Appends a numeric column (empty `categories`) or a categorical one, whose values
/// are indices into `categories` (codes, not translated). Its label, unit (unit_in) and
/// definition are in `language`, the run's. Returns the column's index. O(1) amortised.
int add_column(v1::IndicatorTable& table, Language language, const std::string& id, const Bilingual& label,
               const std::string& unit, const Bilingual& doc, const std::vector<std::string>& categories = {});

/// Appends a row (or a summary row when `summary`) with every value NaN, to be
/// filled by column index. O(columns).
v1::IndicatorRow& add_row(v1::IndicatorTable& table, const std::string& id, const std::string& name,
                          bool summary = false);

/// Index of the column `id`, if the table has one. O(columns).
std::optional<int> find_column(const v1::IndicatorTable& table, std::string_view id);

/// The category index of `category` in column `column`, if listed. O(categories).
std::optional<int> find_category(const v1::IndicatorTable& table, int column, std::string_view category);

/// `a / b`, NaN when b is 0.
double ratio_or_nan(double numerator, double denominator);

/// The first `limit` items joined by ", ", then ", ... (N in all)" / ", ... (N in totaal)"
/// when there are more.
std::string join_limited(const std::vector<std::string>& items, std::size_t limit,
                         Language language = Language::kEnglish);

/// A theme as identifiers spell it: THEME_HOUSING_AND_SERVICES -> "housing_and_services".
std::string theme_name(v1::Theme theme);

/// A theme as people read it in `language`: "wonen en voorzieningen" / "housing and services".
std::string theme_label(v1::Theme theme, Language language);

/// An arrangement kind as the `kinds` parameter spells it: "cooperation", "societal", ...
std::string arrangement_kind_name(v1::ArrangementKind kind);

/// "GM0363 (Amsterdam)": how messages name a municipality.
std::string municipality_label(const v1::Municipality& municipality);

}  // namespace bre::indicator
