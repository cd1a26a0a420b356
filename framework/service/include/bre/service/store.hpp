// The service's store on disk: uploaded datasets, content-addressed by SHA-256, and
// run records. Every file is written atomically, so a crash leaves either the old or
// the new file, never a torn one.
//
//   <root>/datasets/<sha256>.pb   a bre.v1.Dataset, deterministic binary serialisation
//   <root>/runs/<run id>.pb       a bre.v1.RunRecord: status, spec, events, result
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"
#include "bre/v1/service.pb.h"

namespace bre::service {

/// Hex SHA-256 of `bytes`. O(size).
std::string sha256_hex(std::string_view bytes);

class Store {
 public:
  /// Opens (creating when missing) the store under `root`. Errors name the directory.
  static Expected<std::unique_ptr<Store>> open(const std::string& root);

  /// Stores a dataset that passed check_dataset() and returns its id, the SHA-256 of
  /// its deterministic binary serialisation (bre::dataset_sha256). Storing the same
  /// dataset again is a no-op that returns the same id.
  Expected<std::string> put_dataset(const v1::Dataset& dataset);

  /// The dataset with this id, read once and then shared. NotFound names the id.
  Expected<std::shared_ptr<const v1::Dataset>> dataset(const std::string& dataset_id);

  /// Writes a run record atomically, replacing the earlier one.
  Status save_run(const v1::RunRecord& record) const;

  /// Every stored run record, sorted by run id. A record that cannot be read is an
  /// error naming its file (the store is never silently partial).
  Expected<std::vector<v1::RunRecord>> load_runs() const;

  const std::string& root() const { return root_; }

 private:
  explicit Store(std::string root) : root_(std::move(root)) {}
  std::string dataset_path(const std::string& dataset_id) const;

  std::string root_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const v1::Dataset>> datasets_;  // loaded so far
};

/// Whether `id` can name a file in the store: 1 to 128 characters, [A-Za-z0-9_-].
bool is_store_id(std::string_view id);

}  // namespace bre::service
