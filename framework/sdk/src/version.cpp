#include "bre/version.hpp"

namespace bre {

std::string api_version_string(ApiVersion version) {
  return std::to_string(version.major) + "." + std::to_string(version.minor);
}

const char* bre_version() { return BRE_VERSION; }

}  // namespace bre
