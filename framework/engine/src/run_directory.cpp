#include "bre/run_directory.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "bre/io.hpp"
#include "bre/log.hpp"
#include "bre/v1/results.pb.h"
#include "bre/writers.hpp"
#include "descriptor.hpp"

namespace bre {
namespace {

namespace fs = std::filesystem;

// Larger files cannot be a listing or a run record bre wrote; they are not read.
constexpr off_t kMaxListingBytes = off_t{1} << 20;
constexpr off_t kMaxRunRecordBytes = off_t{1} << 30;
// The name the non-atomic exchange parks the earlier run under (see exchange_directories).
constexpr std::string_view kAsideSuffix = ".old";

std::string errno_text() { return std::strerror(errno); }

bool same_inode(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

// Where a run goes.
struct Target {
  std::string shown;  // as the caller wrote it, without a trailing '/': messages and returned paths
  fs::path path;      // absolute; a symbolic link resolved to the directory it names
  bool exists = false;
  fs::path parent() const { return path.parent_path(); }
  std::string name() const { return path.filename().string(); }
};

Expected<Target> resolve_target(const std::string& directory) {
  if (directory.empty()) return invalid_argument("output directory: expected a path, found an empty string");
  Target target;
  fs::path given = fs::path(directory).lexically_normal();
  // "results/" is the directory "results", not an empty name inside it.
  if (!given.has_filename() && given.has_relative_path()) given = given.parent_path();
  target.shown = given.empty() ? directory : given.string();
  std::error_code ec;
  fs::path absolute = fs::absolute(given, ec).lexically_normal();
  if (ec) return invalid_argument(directory + ": cannot resolve the path: " + ec.message());
  if (!absolute.has_filename()) absolute = absolute.parent_path();  // "/work/." normalises to "/work/"
  if (absolute == absolute.root_path()) {
    return invalid_argument(directory + ": is the root directory; choose a directory of its own for the run");
  }
  target.path = absolute;
  struct stat st {};
  if (::lstat(absolute.c_str(), &st) != 0) {
    // ENOTDIR: an ancestor is a file; the ancestor check names it.
    if (errno == ENOENT || errno == ENOTDIR) return target;
    return invalid_argument(directory + ": cannot inspect it: " + errno_text());
  }
  if (S_ISLNK(st.st_mode)) {
    std::error_code read_ec;
    const fs::path points_to = fs::read_symlink(absolute, read_ec);
    const fs::path resolved = fs::canonical(absolute, ec);
    if (ec) {
      return invalid_argument(directory + ": is a symbolic link to " + points_to.string() + ", which " +
                              (ec == std::errc::no_such_file_or_directory ? std::string("does not exist")
                                                                           : "cannot be followed: " + ec.message()) +
                              "; create that directory or choose another output directory");
    }
    if (!fs::is_directory(resolved, ec)) {
      return invalid_argument(directory + ": is a symbolic link to " + points_to.string() +
                              ", which is not a directory");
    }
    target.path = resolved;
    target.exists = true;
    return target;
  }
  if (!S_ISDIR(st.st_mode)) return invalid_argument(directory + ": exists and is not a directory");
  target.exists = true;
  return target;
}

// Reads a small regular file (not through a link); nullopt when it is not one.
std::optional<std::string> read_small_regular_file(const fs::path& path, off_t max_bytes) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > max_bytes) return std::nullopt;
  auto content = read_file(path.string());
  if (!content) return std::nullopt;
  return std::move(content).value();
}

// A name a listing may hold: one entry of the directory itself.
bool is_listable_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

// What a run directory says it holds.
struct Listing {
  std::vector<std::string> files;  // the files a run wrote there, in its order
  std::set<std::string> names;     // the same, and the listing itself
  std::string proof;               // the file that says so, removed last: the listing, or run.pb of an earlier bre
};

// The listing of `directory`: its .bre-outputs, else, for a run written before bre
// kept listings, the files its run.pb implies. nullopt: neither, so no file in it
// can be shown to be bre's.
std::optional<Listing> read_listing(const fs::path& directory) {
  Listing listing;
  if (auto text = read_small_regular_file(directory / kRunListingName, kMaxListingBytes)) {
    std::istringstream lines(*text);
    for (std::string name; std::getline(lines, name);) {
      if (!is_listable_name(name)) return std::nullopt;  // not a listing bre wrote
      listing.files.push_back(name);
      listing.names.insert(name);
    }
    listing.names.insert(kRunListingName);
    listing.proof = kRunListingName;
    return listing;
  }
  const auto record = read_small_regular_file(directory / "run.pb", kMaxRunRecordBytes);
  v1::RunResult result;
  if (!record || !result.ParseFromString(*record)) return std::nullopt;
  auto names = output_file_names(result);
  if (!names) return std::nullopt;
  listing.files = std::move(names).value();
  listing.names.insert(listing.files.begin(), listing.files.end());
  listing.proof = "run.pb";
  return listing;
}

// Whether `entry` may be in a directory a bre run wrote (or, with
// `allow_partial_writes`, was writing when it was killed).
bool is_run_entry(const fs::path& directory, const std::string& entry, const std::optional<Listing>& listing,
                  bool allow_partial_writes) {
  struct stat st {};
  if (::lstat((directory / entry).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  if (listing && listing->names.count(entry) > 0) return true;
  if (!allow_partial_writes) return false;
  // A temporary file of write_file_atomically, for a listed file or the listing itself.
  if (is_temporary_name_of(entry, kRunListingName)) return true;
  return listing && std::any_of(listing->names.begin(), listing->names.end(),
                                [&](const std::string& name) { return is_temporary_name_of(entry, name); });
}

// The entries of `directory`, sorted, so the first foreign one is the same every time.
Expected<std::vector<std::string>> sorted_entries(const fs::path& directory) {
  std::error_code ec;
  std::vector<std::string> entries;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(it->path().filename().string());
  }
  if (ec) return invalid_argument(directory.string() + ": cannot list it: " + ec.message());
  std::sort(entries.begin(), entries.end());
  return entries;
}

// The first entry of `directory` that is not a run's file; "" when there is none.
Expected<std::string> first_foreign_entry(const fs::path& directory, bool allow_partial_writes) {
  auto entries = sorted_entries(directory);
  if (!entries) return entries.status();
  const auto listing = read_listing(directory);
  for (const auto& entry : *entries) {
    if (!is_run_entry(directory, entry, listing, allow_partial_writes)) return entry;
  }
  return std::string();
}

Status refuse_foreign_files(const Target& target) {
  auto foreign = first_foreign_entry(target.path, false);
  if (!foreign) return foreign.status().with_context(target.shown);
  if (foreign->empty()) return Status::ok();
  return invalid_argument(target.shown + ": holds " + *foreign +
                          ", which no bre run wrote there; a run replaces only a directory that holds an earlier "
                          "run's files (choose another output directory, or move the file away)");
}

// Removes a directory a run wrote (or, with `allow_partial_writes`, was writing):
// its listed files, the file that proves them bre's last, so that a removal cut short
// can be finished later, then the directory. Removes nothing if anything else is in it.
Status remove_run_directory(const fs::path& directory, bool allow_partial_writes) {
  auto entries = sorted_entries(directory);
  if (!entries) return entries.status();
  const auto listing = read_listing(directory);
  for (const auto& entry : *entries) {
    if (!is_run_entry(directory, entry, listing, allow_partial_writes)) {
      return invalid_argument(directory.string() + ": holds " + entry + ", which no bre run wrote; left as it is");
    }
  }
  if (listing) {
    std::stable_partition(entries->begin(), entries->end(), [&](const std::string& e) { return e != listing->proof; });
  }
  for (const auto& entry : *entries) {
    if (::unlink((directory / entry).c_str()) != 0 && errno != ENOENT) {
      return invalid_argument((directory / entry).string() + ": cannot remove it: " + errno_text());
    }
  }
  if (::rmdir(directory.c_str()) != 0 && errno != ENOENT) {
    return invalid_argument(directory.string() + ": cannot remove it: " + errno_text());
  }
  return Status::ok();
}

// Opens a directory (not through a link) and takes its lock; `wait` false: only if free.
Expected<Descriptor> lock_directory(const fs::path& directory, bool wait) {
  Descriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) return invalid_argument(directory.string() + ": cannot open it: " + errno_text());
  int locked;
  do {
    locked = ::flock(fd.get(), LOCK_EX | (wait ? 0 : LOCK_NB));
  } while (locked != 0 && errno == EINTR);
  if (locked != 0) return invalid_argument(directory.string() + ": is locked by a running bre");
  return fd;
}

// Whether the open directory `fd` is still the one at `path` (not removed or replaced).
bool still_at(int fd, const fs::path& path) {
  struct stat open_st {};
  struct stat path_st {};
  return ::fstat(fd, &open_st) == 0 && ::lstat(path.c_str(), &path_st) == 0 && same_inode(open_st, path_st);
}

// Staging directories of `target` that their writer left behind: named as bre names
// them, real directories of this user, their lock free (the writer is gone), holding
// only what a run writes. A staging directory of a live run is locked; anything else
// is not bre's to remove.
void remove_stale_staging(const Target& target) {
  auto entries = sorted_entries(target.parent());
  if (!entries) return;
  for (const auto& entry : *entries) {
    std::string staging = entry;
    const bool aside = entry.size() > kAsideSuffix.size() &&
                       entry.compare(entry.size() - kAsideSuffix.size(), kAsideSuffix.size(), kAsideSuffix) == 0;
    if (aside) staging.resize(entry.size() - kAsideSuffix.size());
    if (!is_temporary_name_of(staging, target.name())) continue;
    const fs::path path = target.parent() / entry;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid()) continue;
    // An earlier run parked under ".old" belongs to the writer of the staging directory
    // beside it, while that one exists.
    const fs::path locked_path = target.parent() / staging;
    auto lock = lock_directory(locked_path, false);
    if (!lock) {
      if (!aside || ::access(locked_path.c_str(), F_OK) == 0) continue;
    } else if (!still_at(lock->get(), locked_path)) {
      continue;
    }
    if (Status removed = remove_run_directory(path, true); !removed) {
      logger()->debug("stale staging directory kept: {}", removed.message());
    } else {
      logger()->debug("removed the staging directory of a run that did not finish: {}", path.string());
    }
  }
}

// The staging directory of one write, locked until the run is in place; removed on
// destruction unless committed.
class StagingDirectory {
 public:
  static Expected<StagingDirectory> create(const Target& target) {
    // A cleaner may take the lock of a fresh staging directory before its writer does
    // and remove it; the writer then finds it gone and makes another.
    for (int attempt = 0; attempt < 8; ++attempt) {
      std::string path = (target.parent() / temporary_name_pattern(target.name())).string();
      if (::mkdtemp(path.data()) == nullptr) {
        return invalid_argument(target.shown + ": cannot create a staging directory in " + target.parent().string() +
                                ": " + errno_text());
      }
      auto lock = lock_directory(path, true);
      if (!lock) continue;
      if (!still_at(lock->get(), path)) continue;
      ::fchmod(lock->get(), 0755);
      return StagingDirectory(path, std::move(lock).value());
    }
    return invalid_argument(target.shown + ": cannot keep a staging directory in " + target.parent().string());
  }
  ~StagingDirectory() {
    if (!path_.empty() && !committed_) {
      if (Status removed = remove_run_directory(path_, true); !removed) logger()->warn("{}", removed.message());
    }
  }
  StagingDirectory(StagingDirectory&& other) noexcept
      : path_(std::exchange(other.path_, {})), lock_(std::move(other.lock_)), committed_(other.committed_) {}
  StagingDirectory(const StagingDirectory&) = delete;
  StagingDirectory& operator=(const StagingDirectory&) = delete;

  const fs::path& path() const { return path_; }
  int fd() const { return lock_.get(); }
  // The run is in place: nothing of ours is left at the staging path.
  void commit() { committed_ = true; }

 private:
  StagingDirectory(fs::path path, Descriptor lock) : path_(std::move(path)), lock_(std::move(lock)) {}
  fs::path path_;
  Descriptor lock_;
  bool committed_ = false;
};

// Exchanges two directories: atomically where the file system can, else by three
// renames through `a` + ".old" (a reader may then briefly find `b` missing).
Status exchange_directories(const fs::path& a, const fs::path& b) {
  if (::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0) return Status::ok();
  if (errno != EINVAL && errno != ENOSYS) return invalid_argument(errno_text());
  const fs::path aside = a.string() + std::string(kAsideSuffix);
  if (::rename(b.c_str(), aside.c_str()) != 0) return invalid_argument(errno_text());
  if (::rename(a.c_str(), b.c_str()) != 0) {
    const std::string reason = errno_text();
    ::rename(aside.c_str(), b.c_str());
    return invalid_argument(reason);
  }
  if (::rename(aside.c_str(), a.c_str()) != 0) return invalid_argument(errno_text());
  return Status::ok();
}

void sync_directory(const fs::path& directory) {
  Descriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) ::fsync(fd.get());
}

// Where a new directory would be created: the nearest existing ancestor must be a
// writable directory.
Status check_creatable(const Target& target) {
  fs::path ancestor = target.parent();
  struct stat st {};
  while (::stat(ancestor.c_str(), &st) != 0) {
    if (errno != ENOENT && errno != ENOTDIR) {
      return invalid_argument(target.shown + ": cannot inspect " + ancestor.string() + ": " + errno_text());
    }
    ancestor = ancestor.parent_path();
  }
  if (!S_ISDIR(st.st_mode)) {
    return invalid_argument(target.shown + ": cannot be created: " + ancestor.string() + " is not a directory");
  }
  if (::access(ancestor.c_str(), W_OK | X_OK) != 0) {
    return invalid_argument(target.shown + ": cannot be created: " + ancestor.string() + " is not writable");
  }
  return Status::ok();
}

Status check_replaceable(const Target& target) {
  BRE_RETURN_IF_ERROR(refuse_foreign_files(target));
  if (::access(target.parent().c_str(), W_OK | X_OK) != 0) {
    return invalid_argument(target.shown + ": cannot be replaced: " + target.parent().string() + " is not writable");
  }
  return Status::ok();
}

std::string listing_text(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += name + "\n";
  return text;
}

}  // namespace

Status check_output_directory(const std::string& directory) {
  auto target = resolve_target(directory);
  if (!target) return target.status();
  return target->exists ? check_replaceable(*target) : check_creatable(*target);
}

Expected<std::vector<std::string>> replace_run_directory(const std::vector<RunFile>& files,
                                                         const std::string& directory) {
  auto resolved = resolve_target(directory);
  if (!resolved) return resolved.status();
  const Target& target = *resolved;
  for (const auto& file : files) {
    if (!is_listable_name(file.name) || file.name == kRunListingName) {
      return invalid_argument(target.shown + ": '" + file.name + "' cannot name a file of a run");
    }
  }
  BRE_RETURN_IF_ERROR(target.exists ? check_replaceable(target) : check_creatable(target));
  std::error_code ec;
  fs::create_directories(target.parent(), ec);
  if (ec) return invalid_argument(target.shown + ": cannot create the parent directory: " + ec.message());
  remove_stale_staging(target);

  auto staging = StagingDirectory::create(target);
  if (!staging) return staging.status();
  // The listing goes first: whatever a killed writer leaves is then provably bre's.
  std::vector<std::string> names;
  for (const auto& file : files) names.push_back(file.name);
  BRE_RETURN_IF_ERROR(write_file_atomically((staging->path() / kRunListingName).string(), listing_text(names)));
  for (const auto& file : files) {
    BRE_RETURN_IF_ERROR(write_file_atomically((staging->path() / file.name).string(), file.content));
  }
  ::fsync(staging->fd());

  if (target.exists) {
    // Checked again: files may have arrived while the steps ran.
    BRE_RETURN_IF_ERROR(refuse_foreign_files(target));
    if (Status swapped = exchange_directories(staging->path(), target.path); !swapped) {
      return invalid_argument(target.shown + ": cannot replace the earlier run: " + swapped.message());
    }
    // The earlier run is now at the staging path. A file that arrived in the moment
    // between the check and the exchange puts it back.
    if (Status removed = remove_run_directory(staging->path(), true); !removed) {
      if (exchange_directories(staging->path(), target.path)) {
        return invalid_argument(target.shown + ": changed while the run was written (" + removed.message() +
                                "); the earlier run is kept");
      }
      logger()->warn("{}", removed.message());
    }
  } else if (::rename(staging->path().c_str(), target.path.c_str()) != 0) {
    return invalid_argument(target.shown + ": cannot move the results into place: " + errno_text());
  }
  staging->commit();
  sync_directory(target.parent());

  std::vector<std::string> written;
  for (const auto& name : names) written.push_back((fs::path(target.shown) / name).string());
  return written;
}

Status add_to_run_listing(const std::string& directory, const std::string& file_name) {
  if (!is_listable_name(file_name)) return invalid_argument(directory + ": '" + file_name + "' cannot be listed");
  const fs::path path(directory);
  auto listing = read_listing(path);
  if (!listing) return Status::ok();  // not a run directory: nothing to keep track of
  std::vector<std::string> names = std::move(listing->files);
  if (std::find(names.begin(), names.end(), file_name) != names.end()) return Status::ok();
  names.push_back(file_name);
  return write_file_atomically((path / kRunListingName).string(), listing_text(names));
}

}  // namespace bre
