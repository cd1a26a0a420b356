// Shared helpers for the framework tests: a small hand-built dataset, temporary
// directories, and running the real `bre` executable.
#pragma once

#include <string>
#include <vector>

#include "bre/v1/dataset.pb.h"

namespace bre::test {

/// Six municipalities in two provinces, three cooperation arrangements, one
/// statistical division. Small enough to compute every indicator by hand:
///   PV1 = {GM0001, GM0002, GM0003}, PV2 = {GM0004, GM0005, GM0006}
///   A1 {1,2,3} cooperation, A2 {3,4} cooperation, A3 {4,5,6} cooperation,
///   S1 {1..6} statistical.
v1::Dataset small_dataset();

/// A fresh empty directory under the system temp dir, removed at exit of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs build/bin/bre with `args` (no shell), with `env` entries ("NAME=value")
/// added to the environment; captures output.
CommandResult run_bre(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

/// Runs `program` (a path, or a name looked up on PATH: "ogrinfo") the same way.
CommandResult run_program(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& env = {});

/// Writes a text file (test fixture).
void write_text(const std::string& path, const std::string& content);
std::string read_text(const std::string& path);

/// Sanitizers catch SIGSEGV themselves and exit with a report; processes started after
/// this call (plugin runners, servers) die of the signal, as in a release build.
void let_children_die_of_signals();

}  // namespace bre::test
