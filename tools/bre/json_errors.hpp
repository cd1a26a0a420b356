// Errors as JSON for scripts: under --json, a command that fails without printing its
// JSON answer prints {"error": {"exit_code": N, "message": "..."}} on stdout instead,
// the message being the error lines it wrote on stderr (which still go there too).
#pragma once

#include <memory>

namespace bre::cli {

class JsonErrors {
 public:
  /// Starts recording what std::cout and std::cerr are given (both still pass through).
  JsonErrors();
  ~JsonErrors();
  JsonErrors(const JsonErrors&) = delete;
  JsonErrors& operator=(const JsonErrors&) = delete;

  /// With a non-zero `exit_code` and nothing printed on stdout, prints the error
  /// object; returns `exit_code`.
  int finish(int exit_code);

 private:
  struct Streams;
  std::unique_ptr<Streams> streams_;
};

}  // namespace bre::cli
