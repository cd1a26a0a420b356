// bre's own version and the plugin API version (major.minor, Triton-style handshake:
// a plugin built against another major, or against a newer minor than the host's,
// is refused).
#pragma once

#include <cstdint>
#include <string>

#define BRE_API_VERSION_MAJOR 2
#define BRE_API_VERSION_MINOR 0

#include "bre/export.hpp"

namespace bre BRE_SDK_API {

struct ApiVersion {
  std::uint32_t major;
  std::uint32_t minor;
};

inline constexpr ApiVersion kApiVersion{BRE_API_VERSION_MAJOR, BRE_API_VERSION_MINOR};

/// "1.0"
std::string api_version_string(ApiVersion version = kApiVersion);

/// bre's release version, e.g. "0.1.0".
const char* bre_version();

}  // namespace bre
