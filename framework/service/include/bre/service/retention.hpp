// The store's retention policy: which finished runs and which datasets bre-server
// removes so that its store stays bounded in count, age and bytes. A pure function of
// what is stored, so the rules are tested without a server.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bre::service {

/// Limits of the store; 0 turns a limit off. The defaults keep a long-running server
/// within about 4 GiB of disk (docs/reliability.md).
struct RetentionPolicy {
  std::int64_t max_runs = 1000;                 // finished runs kept (--retain-runs)
  double max_age_days = 30;                     // finished runs and idle datasets older than this go (--retain-days)
  std::int64_t max_store_bytes = 4LL << 30;     // record and dataset files together (--store-max-bytes)
  std::int64_t max_datasets = 100;              // datasets kept (--retain-datasets)
};

/// A run record or a dataset in the store.
struct StoredItem {
  enum class Kind { kRun, kDataset };
  Kind kind = Kind::kRun;
  std::string id;
  std::int64_t bytes = 0;
  // A finished run: when it finished; a dataset: its last upload or run.
  std::int64_t last_used_unix_ms = 0;
  // A queued or running run, or a dataset one of them uses: never removed, but its
  // bytes count towards the limit.
  bool in_use = false;
};

/// The indices of the items to remove, in the order they are chosen:
///   1. every item not in use whose last use is older than max_age_days;
///   2. the oldest finished runs while more than max_runs are left;
///   3. the least recently used idle datasets while more than max_datasets are left;
///   4. while all items together exceed max_store_bytes: the oldest finished runs,
///      then the least recently used idle datasets (runs go first: a dataset serves
///      every later run on it, a run record only its own result).
/// Ties in time are broken by id, so the choice is deterministic. O(n log n).
std::vector<std::size_t> select_for_removal(const std::vector<StoredItem>& items, const RetentionPolicy& policy,
                                            std::int64_t now_unix_ms);

}  // namespace bre::service
