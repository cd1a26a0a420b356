// The life-cycle rule table of lifecycle.stage_rules (JSON): parse_rule_table, and
// what a table that parses must hold.
#include "fuzz_support.hpp"
#include "rule_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  const std::string file = "stage_rules.json";
  auto table = lifecycle::parse_rule_table(std::string(reinterpret_cast<const char*>(data), size), file);
  if (!table) {
    fuzz::require_error_names(table.status(), file);
    return 0;
  }
  fuzz::require(table->stages.size() == 3, "a table has the three stages");
  fuzz::require(table->minimum_support >= 0.0 && table->minimum_support <= 1.0, "minimum_support is a share");
  fuzz::require(table->contradiction_factor >= 0.0 && table->contradiction_factor <= 1.0,
                "contradiction_factor is a factor in [0, 1]");
  for (v1::Stage stage : {v1::STAGE_MEETING_PLACE, v1::STAGE_START_UP, v1::STAGE_RUNNING_SYSTEM}) {
    fuzz::require(table->find_stage(stage) != nullptr, "every stage has its rule");
  }
  return 0;
}
