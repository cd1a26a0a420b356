#include "bre/service/store.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "bre/dataset.hpp"
#include "bre/io.hpp"

namespace fs = std::filesystem;

namespace bre::service {

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

bool is_store_id(std::string_view id) { return !id.empty() && id.size() <= 128 && is_plain_name(id); }

Expected<std::unique_ptr<Store>> Store::open(const std::string& root) {
  for (const char* sub : {"datasets", "runs"}) {
    std::error_code ec;
    fs::create_directories(fs::path(root) / sub, ec);
    if (ec) return internal_error("--store " + root + ": cannot create " + sub + "/: " + ec.message());
  }
  return std::unique_ptr<Store>(new Store(root));
}

std::string Store::dataset_path(const std::string& dataset_id) const {
  return (fs::path(root_) / "datasets" / (dataset_id + ".pb")).string();
}

Expected<std::string> Store::put_dataset(const v1::Dataset& dataset) {
  const std::string bytes = to_binary(dataset);
  const std::string id = sha256_hex(bytes);
  std::lock_guard lock(mutex_);
  std::error_code ec;
  if (!fs::exists(dataset_path(id), ec)) {
    BRE_RETURN_IF_ERROR(write_file_atomically(dataset_path(id), bytes));
  }
  if (!datasets_.count(id)) datasets_[id] = std::make_shared<const v1::Dataset>(dataset);
  return id;
}

Expected<std::shared_ptr<const v1::Dataset>> Store::dataset(const std::string& dataset_id) {
  if (!is_store_id(dataset_id)) {
    return invalid_argument("dataset_id: expected the id PutDataset returned (hex SHA-256), found '" +
                            dataset_id.substr(0, 80) + "'");
  }
  std::lock_guard lock(mutex_);
  if (auto found = datasets_.find(dataset_id); found != datasets_.end()) return found->second;
  std::error_code ec;
  const std::string path = dataset_path(dataset_id);
  if (!fs::exists(path, ec)) {
    return not_found("dataset_id: no dataset '" + dataset_id + "' in the store; upload it with PutDataset");
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
  datasets_[dataset_id] = dataset;
  return std::shared_ptr<const v1::Dataset>(dataset);
}

Status Store::save_run(const v1::RunRecord& record) const {
  if (!is_store_id(record.run_id())) return internal_error("run id '" + record.run_id() + "' cannot name a file");
  return write_file_atomically((fs::path(root_) / "runs" / (record.run_id() + ".pb")).string(), to_binary(record));
}

Expected<std::vector<v1::RunRecord>> Store::load_runs() const {
  std::vector<fs::path> paths;
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(root_) / "runs", ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".pb") paths.push_back(it->path());
  }
  if (ec) return internal_error(root_ + "/runs: cannot list: " + ec.message());
  std::sort(paths.begin(), paths.end());
  std::vector<v1::RunRecord> records;
  for (const auto& path : paths) {
    auto bytes = read_file(path.string());
    if (!bytes) return bytes.status();
    v1::RunRecord record;
    if (!record.ParseFromString(*bytes) || record.run_id() != path.stem().string()) {
      return internal_error(path.string() + ": not a bre.v1.RunRecord of run '" + path.stem().string() + "'");
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace bre::service
