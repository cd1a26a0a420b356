#include "server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace bre::test {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Spawns `program` with stdout and stderr redirected to files; BRE_PLUGIN_PATH is
// dropped so tests control plugin directories.
pid_t spawn(const std::string& program, const std::vector<std::string>& args, const std::string& out_path,
            const std::string& err_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> argv_storage = {program};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string(*e).rfind("BRE_PLUGIN_PATH=", 0) != 0) env_storage.emplace_back(*e);
  }
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw std::runtime_error("cannot start " + program);
  return pid;
}

int wait_exit_code(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string fresh_directory(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory");
  return pattern;
}

}  // namespace

long proc_status_value(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args) {
  const std::string dir = fresh_directory("bre-process");
  const pid_t pid = spawn(program, args, dir + "/out", dir + "/err");
  ProcessResult result;
  result.exit_code = wait_exit_code(pid);
  result.out = read_all(dir + "/out");
  result.err = read_all(dir + "/err");
  std::filesystem::remove_all(dir);
  return result;
}

ServerProcess::ServerProcess(const std::string& store, const std::vector<std::string>& extra_args)
    : run_dir_(fresh_directory("bre-server")) {
  const std::string port_file = run_dir_ + "/port";
  std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--store", store, "--port-file", port_file,
                                   "--plugin-dir", std::string(BRE_TEST_BAD_PLUGIN_DIR) + "/sleeping",
                                   "--log-level", "info"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = spawn(std::string(BRE_TEST_BIN_DIR) + "/bre-server", args, run_dir_ + "/out", run_dir_ + "/err");
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < give_up) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("bre-server exited while starting:\n" + log());
    }
    if (std::filesystem::exists(port_file)) {
      port_ = std::stoi(read_all(port_file));
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill_hard();
  throw std::runtime_error("bre-server did not come up within 20 s:\n" + log());
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) kill_hard();
  // A failed test shows what the server said, e.g. a sanitizer report that stopped it.
  if (::testing::Test::HasFailure()) std::cerr << "bre-server's log:\n" << log();
  std::error_code ec;
  std::filesystem::remove_all(run_dir_, ec);
}

int ServerProcess::terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  const int code = wait_exit_code(pid_);
  pid_ = -1;
  return code;
}

void ServerProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_exit_code(pid_);
  pid_ = -1;
}

std::string ServerProcess::log() const { return read_all(run_dir_ + "/err"); }

}  // namespace bre::test
