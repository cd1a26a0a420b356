// Debian's igraph 0.10 is built without thread safety (IGRAPH_THREAD_SAFE 0: a global
// error state and a global random number generator). Every call into igraph, from any
// plugin, holds this one lock, and seeds igraph's RNG under it.
#pragma once

#include <mutex>

namespace bre {

/// The process-wide igraph lock (one instance, in libbre).
std::mutex& igraph_mutex();

}  // namespace bre
