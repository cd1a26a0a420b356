// The `bre` subcommands. Each returns the process exit code: 0 success, 2 usage or
// input error, 1 internal error (see README).
#pragma once

#include <string>
#include <vector>

namespace bre::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitUsage = 2;

int plugins_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args);
int rerun_command(const std::vector<std::string>& args);
int dataset_command(const std::vector<std::string>& args);
int report_command(const std::vector<std::string>& args);
int import_command(const std::vector<std::string>& args);
int remote_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);
int map_command(const std::vector<std::string>& args);

}  // namespace bre::cli
