#include "test_support.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace bre::test {

v1::Dataset small_dataset() {
  v1::Dataset d;
  d.set_name("small");
  d.set_reference_year(2016);
  const char* names[] = {"Aa", "Bb", "Cc", "Dd", "Ee", "Ff"};
  for (int i = 0; i < 6; ++i) {
    auto* m = d.add_municipalities();
    m->set_code("GM000" + std::to_string(i + 1));
    m->set_name(names[i]);
    m->set_province_code(i < 3 ? "PV1" : "PV2");
    m->set_population(1000 * (i + 1));
    m->set_area_km2(10.0);
  }
  for (int p = 1; p <= 2; ++p) {
    auto* b = d.add_bodies();
    b->set_code("PV" + std::to_string(p));
    b->set_name(p == 1 ? "Noord" : "Zuid");
    b->set_kind(v1::BODY_KIND_PROVINCE);
  }
  auto add = [&](const std::string& id, v1::ArrangementKind kind, std::vector<int> members) {
    auto* a = d.add_arrangements();
    a->set_id(id);
    a->set_name("arrangement " + id);
    a->set_kind(kind);
    a->set_legal_form(v1::LEGAL_FORM_WGR_PUBLIC_BODY);
    a->add_policy_domains("zorg");
    for (int m : members) a->add_municipality_codes("GM000" + std::to_string(m));
  };
  add("A1", v1::ARRANGEMENT_KIND_COOPERATION, {1, 2, 3});
  add("A2", v1::ARRANGEMENT_KIND_COOPERATION, {3, 4});
  add("A3", v1::ARRANGEMENT_KIND_COOPERATION, {4, 5, 6});
  add("S1", v1::ARRANGEMENT_KIND_STATISTICAL, {1, 2, 3, 4, 5, 6});
  return d;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "bre-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_text(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

CommandResult run_bre(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  return run_program(std::string(BRE_TEST_BIN_DIR) + "/bre", args, env);
}

CommandResult run_program(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& env) {
  TempDir capture;
  const std::string out_path = capture.file("out"), err_path = capture.file("err");
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
    // Tests control plugin directories explicitly.
    if (std::string(*e).rfind("BRE_PLUGIN_PATH=", 0) != 0) env_storage.emplace_back(*e);
  }
  env_storage.insert(env_storage.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  CommandResult result;
  if (posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data()) != 0) {
    posix_spawn_file_actions_destroy(&actions);
    throw std::runtime_error("cannot start " + program);
  }
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_text(out_path);
  result.err = read_text(err_path);
  return result;
}

void let_children_die_of_signals() {
  for (const char* name : {"ASAN_OPTIONS", "TSAN_OPTIONS"}) {
    const char* current = std::getenv(name);
    const std::string value = std::string(current != nullptr ? current : "") + ":handle_segv=0:handle_abort=0";
    setenv(name, value.c_str(), 1);
  }
}

}  // namespace bre::test
