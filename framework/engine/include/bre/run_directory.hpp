// Run directories: the directory a run's files go to (`bre run --out`, `bre remote get
// --out`), and the rules that keep a user's own files safe there.
//
// A run directory holds the files of one run and a listing of them (.bre-outputs, one
// name per line). A run replaces a directory only when every entry in it is a file its
// listing names; anything else is refused before the run starts and again at the swap.
// The files are written to a staging directory beside the target (".out.tmp-XXXXXX")
// and exchanged with it in one rename, so the directory always holds one complete run.
// The writer holds an flock on its staging directory until the run is in place; a
// staging directory of the same target whose lock is free and that holds only what bre
// writes is what a killed run left behind, and the next run removes it.
#pragma once

#include <string>
#include <vector>

#include "bre/status.hpp"

namespace bre {

/// The listing every run directory holds. A dot name: no step output can have it
/// (output names start with a step id, which is a plain name).
inline constexpr const char* kRunListingName = ".bre-outputs";

/// One file of a run: its name in the run directory and its bytes.
struct RunFile {
  std::string name;
  std::string content;
};

/// Checks, before anything runs, that a run could be written to `directory`: it does not
/// exist and its nearest existing ancestor is a writable directory, or it is a directory
/// (or a symbolic link to one) that holds only the files of an earlier run and whose
/// parent is writable. Creates nothing. Errors name the directory and the problem: the
/// first file in it that no run wrote, an ancestor that is not a directory, a parent
/// that is not writable, a link to nothing.
Status check_output_directory(const std::string& directory);

/// Replaces `directory` with exactly `files` and their listing, under the rules above;
/// creates missing parents. A trailing '/' names the same directory. A symbolic link
/// stays a link: the directory it points to is replaced, with the staging directory
/// beside that one. Removes stale staging directories of this target first. On any
/// error the earlier run (or the absence of one) is left as it was. Returns the paths
/// of `files`, under `directory` as given.
Expected<std::vector<std::string>> replace_run_directory(const std::vector<RunFile>& files,
                                                         const std::string& directory);

/// Adds `file_name` to the listing of the run in `directory` (e.g. a report `bre report`
/// writes there), so the next run may replace it. Call before writing the file. A
/// directory without a listing gets one (an earlier bre's run: its names from run.pb).
Status add_to_run_listing(const std::string& directory, const std::string& file_name);

}  // namespace bre
