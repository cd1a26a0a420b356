#include "bre/service/store.hpp"

#include <fcntl.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/wire_format_lite.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <system_error>

#include "bre/dataset.hpp"
#include "bre/io.hpp"

namespace fs = std::filesystem;

namespace bre::service {
namespace {

using google::protobuf::internal::WireFormatLite;

// Field numbers of bre.v1.RunRecord that hold what the index does not need.
constexpr int kSpecField = v1::RunRecord::kSpecFieldNumber;
constexpr int kResultField = v1::RunRecord::kResultFieldNumber;
constexpr int kEventsField = v1::RunRecord::kEventsFieldNumber;

// write_file_atomically's temporary files: ".<name>.tmp-XXXXXX".
bool is_temporary_file(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.size() > 1 && name[0] == '.' && name.find(".tmp-") != std::string::npos;
}

std::int64_t unix_ms(fs::file_time_type time) {
  const auto system = fs::file_time_type::clock::to_sys(time);
  return std::chrono::duration_cast<std::chrono::milliseconds>(system.time_since_epoch()).count();
}

// The fields of the record at `path` other than `skipped`, which are passed over on
// disk (lseek) without being read.
Expected<v1::RunRecord> read_record_without(const std::string& path, const std::set<int>& skipped) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return not_found(path + ": cannot open");
  struct stat info {};
  ::fstat(fd, &info);
  std::string kept;
  bool well_formed = true;
  std::int64_t end = 0;
  {
    google::protobuf::io::FileInputStream file(fd);
    google::protobuf::io::CodedInputStream input(&file);
    google::protobuf::io::StringOutputStream kept_stream(&kept);
    google::protobuf::io::CodedOutputStream output(&kept_stream);
    while (const std::uint32_t tag = input.ReadTag()) {
      const int field = WireFormatLite::GetTagFieldNumber(tag);
      well_formed = skipped.count(field) ? WireFormatLite::SkipField(&input, tag)
                                         : WireFormatLite::SkipField(&input, tag, &output);
      if (!well_formed) break;
    }
    well_formed = well_formed && input.ConsumedEntireMessage();
    end = input.CurrentPosition();
  }
  ::close(fd);
  v1::RunRecord record;
  // A skipped field that reaches past the end means a truncated file.
  if (!well_formed || end != info.st_size || !record.ParseFromString(kept)) {
    return internal_error(path + ": not a bre.v1.RunRecord (corrupt store)");
  }
  return record;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

Status unknown_dataset(const std::string& dataset_id) {
  return not_found("dataset_id: no dataset '" + dataset_id.substr(0, 80) + "' in the store; upload it with PutDataset");
}

Status check_dataset_id(const std::string& dataset_id) {
  if (is_store_id(dataset_id)) return Status::ok();
  return invalid_argument("dataset_id: expected the id PutDataset returned (hex SHA-256), found '" +
                          dataset_id.substr(0, 80) + "'");
}

bool is_store_id(std::string_view id) { return !id.empty() && id.size() <= 128 && is_plain_name(id); }

Expected<std::unique_ptr<Store>> Store::open(const std::string& root) {
  for (const char* sub : {"datasets", "runs"}) {
    std::error_code ec;
    fs::create_directories(fs::path(root) / sub, ec);
    if (ec) return internal_error("--store " + root + ": cannot create " + sub + "/: " + ec.message());
    // Left by a writer that died between writing and renaming; nothing else uses them.
    for (fs::directory_iterator it(fs::path(root) / sub, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code ignored;
      if (is_temporary_file(it->path())) fs::remove(it->path(), ignored);
    }
  }
  return std::unique_ptr<Store>(new Store(root));
}

std::string Store::dataset_path(const std::string& dataset_id) const {
  return (fs::path(root_) / "datasets" / (dataset_id + ".pb")).string();
}

std::string Store::run_path(const std::string& run_id) const {
  return (fs::path(root_) / "runs" / (run_id + ".pb")).string();
}

Expected<std::string> Store::put_dataset(const v1::Dataset& dataset, std::int64_t* bytes) {
  const std::string serialized = to_binary(dataset);
  const std::string id = sha256_hex(serialized);
  std::lock_guard lock(mutex_);
  std::error_code ec;
  if (!fs::exists(dataset_path(id), ec)) {
    BRE_RETURN_IF_ERROR(write_file_atomically(dataset_path(id), serialized));
  } else {
    fs::last_write_time(dataset_path(id), fs::file_time_type::clock::now(), ec);
  }
  if (bytes != nullptr) *bytes = static_cast<std::int64_t>(serialized.size());
  // Most uploads are followed by a run on them.
  auto held = std::make_shared<const v1::Dataset>(dataset);
  std::erase_if(loaded_, [](const auto& entry) { return entry.second.expired(); });
  loaded_[id] = held;
  last_used_ = std::move(held);
  last_used_id_ = id;
  return id;
}

Expected<std::shared_ptr<const v1::Dataset>> Store::dataset(const std::string& dataset_id) {
  BRE_RETURN_IF_ERROR(check_dataset_id(dataset_id));
  std::lock_guard lock(mutex_);
  if (auto found = loaded_.find(dataset_id); found != loaded_.end()) {
    if (auto held = found->second.lock()) {
      last_used_id_ = dataset_id;
      return last_used_ = held;
    }
  }
  std::error_code ec;
  const std::string path = dataset_path(dataset_id);
  if (!fs::exists(path, ec)) {
    return unknown_dataset(dataset_id);
  }
  auto bytes = read_file(path);
  if (!bytes) return bytes.status();
  auto dataset = std::make_shared<v1::Dataset>();
  if (!dataset->ParseFromString(*bytes)) return internal_error(path + ": not a bre.v1.Dataset (corrupt store)");
  // Runs trust a stored dataset's id as its validated hash (RunOptions), so a file
  // changed on disk must not pass for the dataset that was checked at upload.
  if (sha256_hex(to_binary(*dataset)) != dataset_id) {
    return internal_error(path + ": content does not hash to its id (corrupt store)");
  }
  if (Status status = check_dataset(*dataset); !status) return internal_error(path + ": " + status.message());
  std::erase_if(loaded_, [](const auto& entry) { return entry.second.expired(); });
  loaded_[dataset_id] = dataset;
  last_used_id_ = dataset_id;
  return last_used_ = dataset;
}

Expected<std::map<std::string, DatasetSummary>> Store::list_datasets() const {
  std::map<std::string, DatasetSummary> datasets;
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(root_) / "datasets", ec), end; !ec && it != end; it.increment(ec)) {
    const auto& path = it->path();
    if (path.extension() != ".pb" || !is_store_id(path.stem().string())) continue;
    std::error_code stat_error;
    DatasetSummary summary;
    summary.bytes = static_cast<std::int64_t>(fs::file_size(path, stat_error));
    summary.last_used_unix_ms = unix_ms(fs::last_write_time(path, stat_error));
    if (!stat_error) datasets[path.stem().string()] = summary;
  }
  if (ec) return internal_error(root_ + "/datasets: cannot list: " + ec.message());
  return datasets;
}

void Store::mark_dataset_used(const std::string& dataset_id, std::int64_t unix_ms) const {
  const auto time = fs::file_time_type::clock::from_sys(
      std::chrono::system_clock::time_point(std::chrono::milliseconds(unix_ms)));
  std::error_code ignored;  // a dataset removed meanwhile has no time to set
  fs::last_write_time(dataset_path(dataset_id), time, ignored);
}

Status Store::remove_dataset(const std::string& dataset_id) {
  std::lock_guard lock(mutex_);
  loaded_.erase(dataset_id);
  if (last_used_id_ == dataset_id) last_used_.reset();
  std::error_code ec;
  fs::remove(dataset_path(dataset_id), ec);
  if (ec) return internal_error(dataset_path(dataset_id) + ": cannot remove: " + ec.message());
  return Status::ok();
}

Expected<std::int64_t> Store::save_run(const v1::RunRecord& record) const {
  if (!is_store_id(record.run_id())) return internal_error("run id '" + record.run_id() + "' cannot name a file");
  const std::string bytes = to_binary(record);
  BRE_RETURN_IF_ERROR(write_file_atomically(run_path(record.run_id()), bytes));
  return static_cast<std::int64_t>(bytes.size());
}

Expected<v1::RunRecord> Store::load_run(const std::string& run_id, RecordParts parts) const {
  if (!is_store_id(run_id)) return not_found("run_id: no run '" + run_id.substr(0, 80) + "'");
  const std::string path = run_path(run_id);
  std::error_code ec;
  if (!fs::exists(path, ec)) return not_found("run_id: no run '" + run_id.substr(0, 80) + "'");
  Expected<v1::RunRecord> record = v1::RunRecord();
  switch (parts) {
    case RecordParts::kIndex: record = read_record_without(path, {kSpecField, kResultField, kEventsField}); break;
    case RecordParts::kEvents: record = read_record_without(path, {kSpecField, kResultField}); break;
    case RecordParts::kAll: {
      auto bytes = read_file(path);
      if (!bytes) return bytes.status().code() == StatusCode::kNotFound
                             ? not_found("run_id: no run '" + run_id.substr(0, 80) + "'")
                             : bytes.status();
      if (!record->ParseFromString(*bytes)) return internal_error(path + ": not a bre.v1.RunRecord (corrupt store)");
      break;
    }
  }
  if (record && record->run_id() != run_id) {
    return internal_error(path + ": not a bre.v1.RunRecord of run '" + run_id + "'");
  }
  return record;
}

Expected<std::vector<Store::IndexedRecord>> Store::load_run_index() const {
  std::vector<fs::path> paths;
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(root_) / "runs", ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".pb" && !is_temporary_file(it->path())) paths.push_back(it->path());
  }
  if (ec) return internal_error(root_ + "/runs: cannot list: " + ec.message());
  std::sort(paths.begin(), paths.end());
  std::vector<IndexedRecord> index;
  index.reserve(paths.size());
  for (const auto& path : paths) {
    const std::string run_id = path.stem().string();
    if (!is_store_id(run_id)) return internal_error(path.string() + ": not a run record name");
    auto record = load_run(run_id, RecordParts::kIndex);
    if (!record) {
      return internal_error(path.string() + ": not a bre.v1.RunRecord of run '" + run_id + "'");
    }
    std::error_code stat_error;
    const auto size = static_cast<std::int64_t>(fs::file_size(path, stat_error));
    index.push_back({std::move(*record), size, unix_ms(fs::last_write_time(path, stat_error))});
  }
  return index;
}

Status Store::remove_run(const std::string& run_id) const {
  std::error_code ec;
  fs::remove(run_path(run_id), ec);
  if (ec) return internal_error(run_path(run_id) + ": cannot remove: " + ec.message());
  return Status::ok();
}

}  // namespace bre::service
