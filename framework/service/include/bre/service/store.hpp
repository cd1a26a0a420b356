// The service's store on disk: uploaded datasets, content-addressed by SHA-256, and
// run records. Every file is written atomically, so a crash leaves either the old or
// the new file, never a torn one.
//
//   <root>/datasets/<sha256>.pb   a bre.v1.Dataset, deterministic binary serialisation
//   <root>/runs/<run id>.pb       a bre.v1.RunRecord: status, spec, events, result
//
// The store keeps no run in memory: the run manager holds an index (RunSummary) and
// reads a record when it is asked for. Datasets stay in memory only while a run or a
// caller holds them, plus the one used last.
#pragma once

#include <cstdint>
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

/// What the run manager keeps in memory for every stored run: enough to answer
/// "which runs exist, in what state, how old and how large" without the record.
/// About 250 bytes per run with its map entry (two short strings, five numbers).
struct RunSummary {
  v1::RunStatus status = v1::RUN_STATUS_UNSPECIFIED;
  std::string dataset_id;
  std::int64_t queued_unix_ms = 0;
  std::int64_t finished_unix_ms = 0;
  std::int64_t bytes = 0;  // size of the record file
};

/// A stored dataset as the run manager indexes it.
struct DatasetSummary {
  std::int64_t bytes = 0;
  std::int64_t last_used_unix_ms = 0;  // upload or a run started on it (the file's mtime)
};

/// Which fields of a run record to read.
enum class RecordParts {
  kIndex,   // everything but the spec, the result and the events
  kEvents,  // everything but the spec and the result
  kAll,
};

class Store {
 public:
  /// Opens (creating when missing) the store under `root` and removes temporary files
  /// a crashed writer left behind. Errors name the directory.
  static Expected<std::unique_ptr<Store>> open(const std::string& root);

  /// Stores a dataset that passed check_dataset() and returns its id, the SHA-256 of
  /// its deterministic binary serialisation (bre::dataset_sha256). Storing the same
  /// dataset again only marks it used. `bytes` receives the file's size.
  Expected<std::string> put_dataset(const v1::Dataset& dataset, std::int64_t* bytes = nullptr);

  /// The dataset with this id, shared while anyone holds it. NotFound names the id.
  Expected<std::shared_ptr<const v1::Dataset>> dataset(const std::string& dataset_id);

  /// Every stored dataset: id, size and last use (the file's modification time).
  Expected<std::map<std::string, DatasetSummary>> list_datasets() const;

  /// Sets the dataset's last use (its file's modification time) to `unix_ms`, so the
  /// age rule of the retention policy counts from it after a restart too.
  void mark_dataset_used(const std::string& dataset_id, std::int64_t unix_ms) const;

  /// Removes a dataset's file and forgets it. Missing is not an error.
  Status remove_dataset(const std::string& dataset_id);

  /// Writes a run record atomically, replacing the earlier one. Returns its size.
  Expected<std::int64_t> save_run(const v1::RunRecord& record) const;

  /// One run record, or the parts of it asked for; the other fields are skipped on
  /// disk without being read. NotFound when there is none (e.g. removed by retention).
  Expected<v1::RunRecord> load_run(const std::string& run_id, RecordParts parts = RecordParts::kAll) const;

  /// A record's index parts (RecordParts::kIndex) and its file's size and mtime.
  struct IndexedRecord {
    v1::RunRecord header;
    std::int64_t bytes = 0;
    std::int64_t modified_unix_ms = 0;
  };
  /// Every stored record's index parts, sorted by run id. A record that cannot be read
  /// is an error naming its file (the store is never silently partial). Reads
  /// O(header) per record, not the file.
  Expected<std::vector<IndexedRecord>> load_run_index() const;

  /// Removes a run's record file. Missing is not an error.
  Status remove_run(const std::string& run_id) const;

  const std::string& root() const { return root_; }

 private:
  explicit Store(std::string root) : root_(std::move(root)) {}
  std::string dataset_path(const std::string& dataset_id) const;
  std::string run_path(const std::string& run_id) const;

  std::string root_;
  std::mutex mutex_;
  // Datasets loaded and still held by someone; the last one used is also held here, so
  // a run after a run on the same dataset does not read and check it again.
  std::map<std::string, std::weak_ptr<const v1::Dataset>> loaded_;
  std::shared_ptr<const v1::Dataset> last_used_;
  std::string last_used_id_;
};

/// NotFound: "dataset_id: no dataset '<id>' in the store; upload it with PutDataset".
Status unknown_dataset(const std::string& dataset_id);

/// InvalidArgument unless `dataset_id` can be a dataset id (is_store_id).
Status check_dataset_id(const std::string& dataset_id);

/// Whether `id` can name a file in the store: 1 to 128 characters, [A-Za-z0-9_-].
bool is_store_id(std::string_view id);

}  // namespace bre::service
