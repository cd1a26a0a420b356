// One spdlog logger shared by the host and every plugin ("bre"), so --log-level
// applies everywhere and plugins never create loggers of their own.
#pragma once

#include <memory>
#include <string>

#include "bre/status.hpp"

namespace spdlog {
class logger;
}

namespace bre {

/// The shared logger; writes to stderr.
std::shared_ptr<spdlog::logger> logger();

/// Sets the level by name: trace, debug, info, warn, error, off.
Status set_log_level(const std::string& level);

}  // namespace bre
