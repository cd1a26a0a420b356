#include "bre/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace bre {

std::shared_ptr<spdlog::logger> logger() {
  // Created once, on first use; spdlog loggers are thread-safe (_mt sink).
  static std::shared_ptr<spdlog::logger> instance = [] {
    auto created = spdlog::stderr_color_mt("bre");
    created->set_pattern("%^%l%$: %v");
    created->set_level(spdlog::level::warn);
    return created;
  }();
  return instance;
}

Status set_log_level(const std::string& level) {
  const auto parsed = spdlog::level::from_str(level);
  // from_str answers "off" for anything it does not know; accept "off" only when asked.
  if (parsed == spdlog::level::off && level != "off") {
    return invalid_argument("--log-level: expected one of trace, debug, info, warn, error, off; found '" +
                            level + "'");
  }
  logger()->set_level(parsed);
  return Status::ok();
}

}  // namespace bre
