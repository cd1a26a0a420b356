#include "bre/import/report.hpp"

#include "bre/io.hpp"

namespace bre::import {

void ResolutionReport::add(std::string file, std::int64_t line, std::string category, std::string text,
                           std::string reason) {
  entries_.push_back({std::move(file), line, std::move(category), std::move(text), std::move(reason)});
}

std::map<std::string, std::size_t> ResolutionReport::counts() const {
  std::map<std::string, std::size_t> counts;
  for (const auto& entry : entries_) ++counts[entry.category];
  return counts;
}

std::vector<ResolutionEntry> ResolutionReport::of_category(const std::string& category) const {
  std::vector<ResolutionEntry> out;
  for (const auto& entry : entries_) {
    if (entry.category == category) out.push_back(entry);
  }
  return out;
}

std::string ResolutionReport::to_csv() const {
  std::string out = "file;line;category;text;reason\n";
  for (const auto& e : entries_) {
    out += csv_field(e.file, ';') + ";" + std::to_string(e.line) + ";" + csv_field(e.category, ';') + ";" +
           csv_field(e.text, ';') + ";" + csv_field(e.reason, ';') + "\n";
  }
  return out;
}

}  // namespace bre::import
