// A real bre-server process for the service tests: started on a free loopback port
// (the server picks it and writes it to --port-file), stopped with SIGTERM or SIGKILL.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace bre::test {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
};

/// Runs `program` with `args` to completion (no shell); captures output.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args);

/// A number from /proc/PID/status, e.g. "VmRSS" (kB) or "Threads"; -1 if missing.
long proc_status_value(pid_t pid, const std::string& field);

class ServerProcess {
 public:
  /// Starts build/bin/bre-server --listen 127.0.0.1:0 --store `store` with the sleeping
  /// test plugin and `extra_args`, and waits (up to 20 s) until it serves. Throws with
  /// the server's log when it exits or does not come up.
  ServerProcess(const std::string& store, const std::vector<std::string>& extra_args = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  /// SIGTERM, then waits; returns the exit code (128 + signal if killed).
  int terminate();
  /// SIGKILL, then waits.
  void kill_hard();
  /// The server's stderr so far.
  std::string log() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string run_dir_;
};

}  // namespace bre::test
