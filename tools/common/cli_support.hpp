// Command-line parsing and errors shared by `bre` and `bre-server`: errors are one line
// that names the option, a switch may be given more than once, and numbers are read
// strictly (no sign where none is allowed, no trailing text, no silent wrap-around).
#pragma once

#include <boost/program_options.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "bre/status.hpp"

namespace bre::cli {

namespace po = boost::program_options;

/// Exit codes of the command-line tools (README): 0 success, 2 usage or input error,
/// 1 internal error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitUsage = 2;

/// Parses `args` for `command` ("bre run", "bre map network", "bre-server"). --help prints `usage`
/// and the options; a bad command line prints one line naming the option and exits 2.
/// Returns the exit code when the command should stop here.
std::optional<int> parse_options(const std::vector<std::string>& args, const std::string& command,
                                 const std::string& usage, const po::options_description& options,
                                 const po::positional_options_description& positional, po::variables_map& vm);

/// The value of an option that takes none ("--json"): given twice, it means the same as
/// once (a wrapper script may add what the user also typed).
po::typed_value<bool>* switch_value();

/// Whether the switch_value option `name` was given.
bool is_set(const po::variables_map& vm, const std::string& name);

/// Prints "PREFIX: message" on stderr; the exit code for the status (README).
int fail(const Status& status, const std::string& prefix = "bre");

/// A whole number in [minimum, maximum], written as decimal digits only. `zero_means`,
/// when given, is said in the error ("0 (all cores)"). Errors name the option:
/// "--seed: expected a whole number from 0 to 18446744073709551615, found '-1'".
Expected<std::uint64_t> parse_whole_number(const std::string& option, const std::string& text,
                                           std::uint64_t minimum, std::uint64_t maximum,
                                           const std::string& zero_means = "");

/// The worker threads to run with for `--threads N` (0 = all cores): N, or the core
/// count with a warning on stderr when N asks for more cores than this machine has
/// (more threads than cores only adds switching; results do not depend on it).
std::uint64_t clamp_threads(std::uint64_t requested, const std::string& program);

/// A seed: any whole number from 0 to 2^64 - 1 (what the manifest records).
Expected<std::uint64_t> parse_seed(const std::string& option, const std::string& text);

/// The numbers an option accepts: finite, at least (or, with `above_minimum`, more
/// than) `minimum`, at most `maximum`.
struct NumberRange {
  double minimum = 0.0;
  double maximum = std::numeric_limits<double>::max();
  bool above_minimum = false;
  std::string unit;        // "seconds", said in the error
  std::string zero_means;  // as for parse_whole_number
};

/// A decimal number in `range` ("2", "0.5", "1e3"); nan, inf, trailing text and values
/// out of range are errors that name the option, the range and what was found.
Expected<double> parse_number(const std::string& option, const std::string& text, const NumberRange& range);

}  // namespace bre::cli
