// The resolution report every importer writes: each source row or participant it
// could not use as it stands, with source file, line and reason (DOMAIN.md §1: a
// participant that cannot be resolved is reported, never silently dropped).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bre::import {

struct ResolutionEntry {
  std::string file;      // source file, relative to the import directory
  std::int64_t line = 0; // 1-based; 0 = the file as a whole
  std::string category;  // e.g. "unresolved participant", "name mismatch"
  std::string text;      // the name or value as the source wrote it (repaired UTF-8)
  std::string reason;    // what was expected and what was done
};

class ResolutionReport {
 public:
  void add(std::string file, std::int64_t line, std::string category, std::string text, std::string reason);
  const std::vector<ResolutionEntry>& entries() const { return entries_; }
  /// Number of entries per category, categories sorted by name.
  std::map<std::string, std::size_t> counts() const;
  /// Entries of one category.
  std::vector<ResolutionEntry> of_category(const std::string& category) const;
  /// ';'-separated CSV with a header: file;line;category;text;reason (fields quoted
  /// when they hold ';', '"' or a line end).
  std::string to_csv() const;

 private:
  std::vector<ResolutionEntry> entries_;
};

}  // namespace bre::import
