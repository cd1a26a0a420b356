// Where the tests find the public Dutch data of 2016 ($BRE_NL2016_DIR, else
// ../shared/data/nl2016 beside the checkout), and one import of it per test program.
#pragma once

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "bre/import/nl2016.hpp"

namespace bre::test {

inline std::string nl2016_data_dir() {
  if (const char* env = std::getenv("BRE_NL2016_DIR"); env != nullptr && *env != '\0') return env;
  return std::string(BRE_SOURCE_DIR) + "/../shared/data/nl2016";
}

/// `bre import nl2016` of the data folder, done once (it takes a few seconds).
inline const import::Nl2016Import& nl2016_import() {
  static const import::Nl2016Import result = [] {
    auto imported = import::import_nl2016(nl2016_data_dir());
    if (!imported) throw std::runtime_error(imported.status().message());
    return std::move(*imported);
  }();
  return result;
}

}  // namespace bre::test
