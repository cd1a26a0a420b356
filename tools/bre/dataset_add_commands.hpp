// `bre dataset add-survey`, `add-cases` and `add-indicators` (exit codes as in commands.hpp).
#pragma once

#include <string>
#include <vector>

namespace bre::cli {

int dataset_add_survey(const std::vector<std::string>& args);
int dataset_add_cases(const std::vector<std::string>& args);
int dataset_add_indicators(const std::vector<std::string>& args);

}  // namespace bre::cli
