#include "indicator_table.hpp"

#include <cctype>

#include "bre/value_kind.hpp"

namespace bre::indicator {

int add_column(v1::IndicatorTable& table, Language language, const std::string& id, const Bilingual& label,
               const std::string& unit, const Bilingual& doc, const std::vector<std::string>& categories) {
  v1::IndicatorColumn* column = table.add_columns();
  column->set_id(id);
  column->set_label(label.in(language));
  column->set_unit(unit_in(language, unit));
  column->set_doc(doc.in(language));
  if (categories.empty()) column->set_kind(value_kind_for_unit(unit));
  for (const std::string& category : categories) column->add_categories(category);
  return table.columns_size() - 1;
}

v1::IndicatorRow& add_row(v1::IndicatorTable& table, const std::string& id, const std::string& name,
                          bool summary) {
  v1::IndicatorRow* row = summary ? table.add_summary_rows() : table.add_rows();
  row->set_region_id(id);
  row->set_region_name(name);
  for (int c = 0; c < table.columns_size(); ++c) row->add_values(kNaN);
  return *row;
}

std::optional<int> find_column(const v1::IndicatorTable& table, std::string_view id) {
  for (int c = 0; c < table.columns_size(); ++c) {
    if (table.columns(c).id() == id) return c;
  }
  return std::nullopt;
}

std::optional<int> find_category(const v1::IndicatorTable& table, int column, std::string_view category) {
  const auto& categories = table.columns(column).categories();
  for (int i = 0; i < categories.size(); ++i) {
    if (categories[i] == category) return i;
  }
  return std::nullopt;
}

double ratio_or_nan(double numerator, double denominator) {
  return denominator == 0.0 ? kNaN : numerator / denominator;
}

std::string join_limited(const std::vector<std::string>& items, std::size_t limit, Language language) {
  std::string text;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i) text += (i == 0 ? "" : ", ") + items[i];
  if (items.size() > limit) {
    text += ", ... (" + std::to_string(items.size()) + text_in(language, " in totaal)", " in all)");
  }
  return text;
}

std::string theme_name(v1::Theme theme) {
  std::string name = v1::Theme_Name(theme);
  const std::string prefix = "THEME_";
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  if (name.empty()) name = "theme_" + std::to_string(static_cast<int>(theme));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string theme_label(v1::Theme theme, Language language) {
  switch (theme) {
    case v1::THEME_GEOGRAPHY: return text_in(language, "geografie", "geography");
    case v1::THEME_DEMOGRAPHY: return text_in(language, "demografie", "demography");
    case v1::THEME_HOUSING_AND_SERVICES:
      return text_in(language, "wonen en voorzieningen", "housing and services");
    case v1::THEME_SOCIAL_CAPITAL: return text_in(language, "sociaal kapitaal", "social capital");
    case v1::THEME_ECONOMY: return text_in(language, "economie", "economy");
    case v1::THEME_ENVIRONMENT: return text_in(language, "milieu", "environment");
    case v1::THEME_HEALTH: return text_in(language, "gezondheid", "health");
    case v1::THEME_WELLBEING: return text_in(language, "brede welvaart", "broad well-being");
    default: return theme_name(theme);
  }
}

std::string arrangement_kind_name(v1::ArrangementKind kind) {
  switch (kind) {
    case v1::ARRANGEMENT_KIND_COOPERATION: return "cooperation";
    case v1::ARRANGEMENT_KIND_SOCIETAL: return "societal";
    case v1::ARRANGEMENT_KIND_STATE: return "state";
    case v1::ARRANGEMENT_KIND_STATISTICAL: return "statistical";
    default: return "unspecified";
  }
}

std::string municipality_label(const v1::Municipality& municipality) {
  return municipality.code() + " (" + municipality.name() + ")";
}

}  // namespace bre::indicator
