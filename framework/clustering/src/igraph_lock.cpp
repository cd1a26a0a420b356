#include "bre/igraph_lock.hpp"

namespace bre {

std::mutex& igraph_mutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace bre
