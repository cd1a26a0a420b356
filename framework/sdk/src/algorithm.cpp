#include "bre/algorithm.hpp"

#include <stdexcept>
#include <string>

namespace bre {

void AlgorithmBase::require_run(const char* accessor) const {
  if (!has_run_) {
    throw std::logic_error(std::string(name_) + "::" + accessor + "() called before a successful run()");
  }
}

}  // namespace bre
