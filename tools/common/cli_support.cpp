#include "cli_support.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>
#include <thread>

#include "bre/io.hpp"
#include "bre/suggest.hpp"

namespace bre::cli {

std::optional<int> parse_options(const std::vector<std::string>& args, const std::string& command,
                                 const std::string& usage, const po::options_description& options,
                                 const po::positional_options_description& positional, po::variables_map& vm) {
  try {
    // No guessing of abbreviated flags: a prefix silently standing for another flag
    // (`--out` for `--out-format`, say) would change what runs without a word.
    const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(args).options(options).positional(positional).style(style).run(), vm);
    if (vm.count("help")) {
      std::cout << usage << "\n" << options;
      return kExitOk;
    }
    po::notify(vm);
  } catch (const po::unknown_option& e) {
    std::vector<std::string> names;
    for (const auto& option : options.options()) names.push_back("--" + option->long_name());
    std::cerr << command << ": " << e.what() << did_you_mean(e.get_option_name(), names) << "; `" << command
              << " --help` lists the options\n";
    return kExitUsage;
  } catch (const po::error& e) {
    std::cerr << command << ": " << e.what() << " (`" << command << " --help` lists the options)\n";
    return kExitUsage;
  }
  return std::nullopt;
}

po::typed_value<bool>* switch_value() {
  // An implicit value needs no token, and a composing option may occur again: the
  // second occurrence stores the same `true` instead of being refused.
  return po::value<bool>()->zero_tokens()->implicit_value(true, "")->default_value(false, "")->composing();
}

bool is_set(const po::variables_map& vm, const std::string& name) {
  return vm.count(name) > 0 && vm[name].as<bool>();
}

int fail(const Status& status, const std::string& prefix) {
  std::cerr << prefix << ": " << status.message() << "\n";
  return status.code() == StatusCode::kInternal ? kExitInternal : kExitUsage;
}

namespace {

std::string lower_bound_text(double minimum, const std::string& zero_means) {
  std::string text = format_csv_number(minimum);
  if (minimum == 0.0 && !zero_means.empty()) text += " (" + zero_means + ")";
  return text;
}

}  // namespace

Expected<std::uint64_t> parse_whole_number(const std::string& option, const std::string& text,
                                           std::uint64_t minimum, std::uint64_t maximum,
                                           const std::string& zero_means) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  // from_chars reads no sign for unsigned types, so "-1" cannot wrap to 2^64 - 1.
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || value < minimum || value > maximum) {
    const std::string expected = "a whole number from " + lower_bound_text(static_cast<double>(minimum), zero_means);
    return invalid_argument(option + ": expected " + expected + " to " + std::to_string(maximum) + ", found '" +
                            text + "'");
  }
  return value;
}

std::uint64_t clamp_threads(std::uint64_t requested, const std::string& program) {
  const std::uint64_t cores = std::max(1U, std::thread::hardware_concurrency());
  if (requested <= cores) return requested;
  std::cerr << program << ": warning: --threads " << requested << " is more than the " << cores
            << " cores of this machine; using " << cores << "\n";
  return cores;
}

Expected<std::uint64_t> parse_seed(const std::string& option, const std::string& text) {
  return parse_whole_number(option, text, 0, std::numeric_limits<std::uint64_t>::max());
}

Expected<double> parse_number(const std::string& option, const std::string& text, const NumberRange& range) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  const bool in_range = std::isfinite(value) && (range.above_minimum ? value > range.minimum : value >= range.minimum) &&
                        value <= range.maximum;
  if (text.empty() || error != std::errc() || stop != end || !in_range) {
    std::string expected = "a number " + std::string(range.above_minimum ? "greater than " : "from ") +
                           lower_bound_text(range.minimum, range.zero_means);
    if (range.maximum < std::numeric_limits<double>::max()) {
      expected += (range.above_minimum ? " and at most " : " to ") + format_csv_number(range.maximum);
    }
    if (!range.unit.empty()) expected += " " + range.unit;
    return invalid_argument(option + ": expected " + expected + ", found '" + text + "'");
  }
  return value;
}

}  // namespace bre::cli
