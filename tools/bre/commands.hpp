// The `bre` subcommands. Each returns the process exit code: 0 success, 2 usage or
// input error, 1 internal error (see README).
#pragma once

#include <string>
#include <vector>

#include "cli_support.hpp"  // the exit codes

namespace bre::cli {

int plugins_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args);
int rerun_command(const std::vector<std::string>& args);
int dataset_command(const std::vector<std::string>& args);
int dataset_info(const std::vector<std::string>& args);
int report_command(const std::vector<std::string>& args);
int import_command(const std::vector<std::string>& args);
int remote_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);
int map_command(const std::vector<std::string>& args);
int export_command(const std::vector<std::string>& args);

}  // namespace bre::cli
