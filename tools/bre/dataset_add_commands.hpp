// `bre dataset add-survey` and `bre dataset add-cases` (exit codes as in commands.hpp).
#pragma once

#include <string>
#include <vector>

namespace bre::cli {

int dataset_add_survey(const std::vector<std::string>& args);
int dataset_add_cases(const std::vector<std::string>& args);

}  // namespace bre::cli
