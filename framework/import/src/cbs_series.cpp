#include "bre/import/cbs_series.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <set>

#include "bre/import/indicator_table.hpp"
#include "figures.hpp"

namespace bre::import {
namespace {

std::string at_line(const CsvTable& table, std::int64_t line) { return table.file + ":" + std::to_string(line); }

Expected<std::size_t> column_of(const CsvTable& table, const std::string& name) {
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    if (trim(table.header[c]) == name) return c;
  }
  return invalid_argument(at_line(table, 1) + ": expected a column '" + name + "'");
}

// A StatLine figure: decimal comma, empty = no figure.
Expected<std::optional<double>> parse_figure(const std::string& field, const std::string& where) {
  const std::string text = trim(field);
  if (text.empty()) return std::optional<double>();
  Expected<double> value = detail::parse_number(text, ',', true);
  if (!value) return invalid_argument(where + ": " + value.status().message());
  return std::optional<double>(*value);
}

// Figures of one municipality in one year, per trend (nullopt = no figure).
using TrendFigures = std::vector<std::optional<double>>;

struct SeriesIndex {
  std::map<std::pair<int, std::string>, TrendFigures> figures;  // (year, normalised name)
  std::map<int, std::vector<std::pair<std::string, std::int64_t>>> names_with_figures;  // year -> (name, line)
};

Expected<SeriesIndex> index_series(const CsvTable& series, const std::vector<SeriesTrend>& trends) {
  Expected<std::size_t> year_column = column_of(series, "Perioden");
  if (!year_column) return year_column.status();
  Expected<std::size_t> name_column = column_of(series, "Regio's");
  if (!name_column) return name_column.status();
  std::vector<std::vector<std::size_t>> columns(trends.size());
  for (std::size_t t = 0; t < trends.size(); ++t) {
    for (const std::string& header : trends[t].columns) {
      Expected<std::size_t> c = column_of(series, header);
      if (!c) return invalid_argument(c.status().message() + " (trend '" + trends[t].indicator.id() + "')");
      columns[t].push_back(*c);
    }
  }
  SeriesIndex index;
  for (const CsvRecord& record : series.records) {
    const std::string where = at_line(series, record.line);
    const std::optional<int> year = detail::parse_year(trim(record.fields[*year_column]));
    if (!year) {
      return invalid_argument(where + ":" + std::to_string(*year_column + 1) + ": Perioden: expected a year, found '" +
                              record.fields[*year_column] + "'");
    }
    TrendFigures figures(trends.size());
    bool any = false;
    for (std::size_t t = 0; t < trends.size(); ++t) {
      double sum = 0.0;
      bool complete = true;
      for (std::size_t c : columns[t]) {
        Expected<std::optional<double>> figure =
            parse_figure(record.fields[c], where + ":" + std::to_string(c + 1) + ": " + trim(series.header[c]));
        if (!figure) return figure.status();
        if (!*figure) complete = false;
        else sum += **figure;
      }
      if (complete) {
        figures[t] = sum;
        any = true;
      }
    }
    if (!any) continue;  // a municipality that did not exist that year keeps its rows without figures
    const std::string name = trim(record.fields[*name_column]);
    if (!index.figures.emplace(std::make_pair(*year, normalise_name(name)), std::move(figures)).second) {
      return invalid_argument(where + ": '" + name + "' has figures for " + std::to_string(*year) + " twice");
    }
    index.names_with_figures[*year].emplace_back(name, record.line);
  }
  return index;
}

// One predecessor of a municipality as the series names it in the `from` year.
struct Part {
  std::string name;
  double weight = std::numeric_limits<double>::quiet_NaN();  // NaN: no size known
};

// What a municipality of the reference year was in year `from`: its parts, or why
// they cannot be known.
struct Predecessors {
  std::vector<Part> parts;
  bool same_territory = false;
  std::string not_computable;  // reason; empty = parts are complete
};

Predecessors predecessors_of(const std::string& code, int from, const TrendContext& context, const SeriesIndex& index) {
  const MunicipalityMapping& mapping = *context.mapping;
  Predecessors result;
  std::size_t sources = 0;  // 2014 municipalities and earlier ones that went into it
  bool partial = false;     // took in part of a split municipality
  for (std::size_t i = 0; i < mapping.names_2014.size(); ++i) {
    for (const auto& target : mapping.targets[i]) {
      if (target.code != code) continue;
      const std::string& name_2014 = mapping.names_2014[i];
      const std::string key_2014 = normalise_name(name_2014);
      const double weight = (*context.residents_in_work)[i] * target.share;
      ++sources;
      partial = partial || target.share < 1.0;
      // Municipalities that went into this 2014 municipality after `from`.
      bool took_in = false;
      for (const Reorganisation& r : *context.earlier) {
        if (r.year <= from) continue;
        const bool into = std::any_of(r.successors.begin(), r.successors.end(), [&](const std::string& s) {
          return normalise_name(s) == key_2014;
        });
        if (!into) continue;
        if (r.successors.size() > 1) {
          return {{}, false, "part of " + r.former + " (split on 1 January " + std::to_string(r.year) +
                                 ") went into it, and the size of that part is not known"};
        }
        ++sources;
        took_in = true;
        result.parts.push_back({r.former, std::numeric_limits<double>::quiet_NaN()});
      }
      if (index.figures.count({from, key_2014})) {
        result.parts.push_back({name_2014, weight});
      } else if (!took_in) {
        return {{}, false, "its predecessor " + name_2014 + " has no figures for " + std::to_string(from)};
      }
    }
  }
  if (sources == 0) return {{}, false, "gemeenten_2014_naar_2016.csv maps no municipality of 2014 to it"};
  result.same_territory = sources == 1 && result.parts.size() == 1 && !partial;
  if (result.same_territory) return result;
  for (const Part& part : result.parts) {
    if (std::isnan(part.weight)) {
      result.not_computable = "formed from predecessors after " + std::to_string(from) + ", and " + part.name +
                              " ceased before 2014, so no size to weight it by is known";
      return result;
    }
  }
  // Parts of a split municipality (Maasdonk) count with the mapping table's share.
  return result;
}

std::string format_weight(double persons) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.0f", persons);
  return buffer;
}

double rounded(double value) { return std::round(value * 1e6) / 1e6; }

}  // namespace

Expected<std::vector<SeriesTrend>> parse_series_trends(const CsvTable& table) {
  const std::vector<std::string> expected = {"indicator", "name", "theme", "unit", "direction",
                                             "change", "from", "to", "columns"};
  if (table.header != expected) return invalid_argument(at_line(table, 1) + ": expected the header indicator;name;theme;unit;direction;change;from;to;columns");
  // The indicator fields share the metadata layout and its checks.
  CsvTable meta;
  meta.file = table.file;
  meta.header = {"indicator", "name", "theme", "unit", "direction"};
  for (const CsvRecord& record : table.records) {
    meta.records.push_back({record.line, {record.fields.begin(), record.fields.begin() + 5}});
  }
  Expected<std::vector<IndicatorMeta>> indicators = parse_indicator_meta(meta);
  if (!indicators) return indicators.status();
  std::vector<SeriesTrend> trends;
  for (std::size_t r = 0; r < table.records.size(); ++r) {
    const CsvRecord& record = table.records[r];
    const std::string where = at_line(table, record.line);
    SeriesTrend trend;
    trend.indicator = (*indicators)[r].indicator;
    trend.line = record.line;
    const std::string change = trim(record.fields[5]);
    if (change == "difference") trend.change = SeriesTrend::Change::kDifference;
    else if (change == "percent") trend.change = SeriesTrend::Change::kPercent;
    else return invalid_argument(where + ":6: change: expected difference or percent, found '" + change + "'");
    const std::optional<int> from = detail::parse_year(trim(record.fields[6]));
    const std::optional<int> to = detail::parse_year(trim(record.fields[7]));
    if (!from || *from < 2011 || *from > 2014) {
      return invalid_argument(where + ":7: from: expected a year from 2011 to 2014 (the years the reorganisation tables cover), found '" +
                              trim(record.fields[6]) + "'");
    }
    if (!to || *to <= *from) {
      return invalid_argument(where + ":8: to: expected a year after " + std::to_string(*from) + ", found '" + trim(record.fields[7]) + "'");
    }
    trend.from = *from;
    trend.to = *to;
    for (std::string& column : split_list(record.fields[8])) {
      if (!column.empty()) trend.columns.push_back(std::move(column));
    }
    if (trend.columns.empty()) return invalid_argument(where + ":9: columns: expected series headers joined by '|'");
    trends.push_back(std::move(trend));
  }
  return trends;
}

Expected<std::vector<Reorganisation>> parse_reorganisations(const CsvTable& table) {
  if (table.header != std::vector<std::string>{"year", "former", "successors", "note"}) {
    return invalid_argument(at_line(table, 1) + ": expected the header year;former;successors;note");
  }
  std::vector<Reorganisation> result;
  for (const CsvRecord& record : table.records) {
    const std::optional<int> year = detail::parse_year(trim(record.fields[0]));
    if (!year) return invalid_argument(at_line(table, record.line) + ":1: year: expected a year, found '" + record.fields[0] + "'");
    Reorganisation r{*year, trim(record.fields[1]), split_list(record.fields[2]), record.line};
    if (r.former.empty() || std::any_of(r.successors.begin(), r.successors.end(),
                                        [](const std::string& s) { return s.empty(); })) {
      return invalid_argument(at_line(table, record.line) + ": expected a former municipality and its successors");
    }
    result.push_back(std::move(r));
  }
  return result;
}

Expected<TrendImport> derive_series_trends(const CsvTable& series, const std::vector<SeriesTrend>& trends,
                                           const TrendContext& context, ResolutionReport& report) {
  Expected<SeriesIndex> index = index_series(series, trends);
  if (!index) return index.status();
  TrendImport result;
  // The reference year's rows with figures, by code.
  std::map<std::string, std::string> series_name_of;
  for (const auto& [name, line] : index->names_with_figures[context.reference_year]) {
    const NameResolution resolution = context.names->resolve(name, "");
    if (resolution.outcome != NameResolution::Outcome::kResolved || resolution.codes.size() != 1) {
      report.add(series.file, line, "series name unresolved", name,
                 "no single municipality of " + std::to_string(context.reference_year) + " has this name; its figures are not used");
      continue;
    }
    series_name_of[resolution.codes.front()] = name;
  }
  for (const SeriesTrend& trend : trends) {
    if (trend.to != context.reference_year) {
      return invalid_argument("trend '" + trend.indicator.id() + "': to: expected the reference year " +
                              std::to_string(context.reference_year) + ", found " + std::to_string(trend.to));
    }
    result.indicators.push_back(trend.indicator);
  }
  for (std::size_t t = 0; t < trends.size(); ++t) {
    const SeriesTrend& trend = trends[t];
    const std::string label = trend.indicator.id() + " (" + std::to_string(trend.from) + "-" + std::to_string(trend.to) + ")";
    for (const auto& [code, official] : *context.official_names) {
      auto not_computable = [&](const std::string& reason) {
        report.add(series.file, 0, "trend not computable", official + " (" + code + ")", label + ": " + reason);
        ++result.not_computable;
      };
      auto end_name = series_name_of.find(code);
      const TrendFigures* end = end_name == series_name_of.end()
                                    ? nullptr
                                    : &index->figures.at({trend.to, normalise_name(end_name->second)});
      if (end == nullptr || !(*end)[t]) {
        not_computable("no figure for " + std::to_string(trend.to));
        continue;
      }
      const Predecessors predecessors = predecessors_of(code, trend.from, context, *index);
      if (!predecessors.not_computable.empty()) {
        not_computable(predecessors.not_computable);
        continue;
      }
      double base = 0.0;
      double total_weight = 0.0;
      std::string missing;
      std::string parts_text;
      for (const Part& part : predecessors.parts) {
        const auto it = index->figures.find({trend.from, normalise_name(part.name)});
        if (it == index->figures.end() || !it->second[t]) {
          missing = part.name;
          break;
        }
        const double w = predecessors.same_territory ? 1.0 : part.weight;
        base += w * *it->second[t];
        total_weight += w;
        if (!parts_text.empty()) parts_text += ", ";
        parts_text += part.name + " (weight " + format_weight(part.weight) + ")";
      }
      if (!missing.empty()) {
        not_computable("no figure for " + missing + " in " + std::to_string(trend.from));
        continue;
      }
      if (!(total_weight > 0.0)) {
        not_computable("its predecessors have no residents in work in the commuting matrix to weight them by");
        continue;
      }
      base /= total_weight;
      const double value = *(*end)[t];
      double change = value - base;
      if (trend.change == SeriesTrend::Change::kPercent) {
        if (!(base > 0.0)) {
          not_computable("the " + std::to_string(trend.from) + " value is not positive, so no percent change");
          continue;
        }
        change = 100.0 * (value / base - 1.0);
      }
      if (predecessors.same_territory) {
        ++result.direct;
      } else {
        ++result.combined;
        report.add(series.file, 0, "trend from predecessors", official + " (" + code + ")",
                   label + ": " + std::to_string(trend.from) + " value combined from " + parts_text +
                       ", weighted by residents in work in 2014 (the commuting matrix's column sums) times the share that went into it");
      }
      v1::IndicatorValue v;
      v.set_indicator_id(trend.indicator.id());
      v.set_municipality_code(code);
      v.set_year(trend.to);
      v.set_value(rounded(change));
      result.values.push_back(std::move(v));
    }
  }
  return result;
}

}  // namespace bre::import
