// The `bre` executable end to end: every command, every bad input a one-line error
// and the documented exit code (0 ok, 2 usage or input error, 1 internal or failed step).
#include <google/protobuf/struct.pb.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <thread>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/io.hpp"
#include "bre/v1/pipeline.pb.h"
#include "test_support.hpp"

namespace {

using bre::test::run_bre;
using bre::test::TempDir;

const std::string kStandard = std::string(BRE_SOURCE_DIR) + "/examples/pipelines/standard.json";
const std::string kBad = BRE_TEST_BAD_PLUGIN_DIR;

int line_count(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

TEST(Cli, HelpAndVersion) {
  auto help = run_bre({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command : {"plugins", "run PIPELINE.json", "dataset validate", "dataset convert", "dataset demo"}) {
    EXPECT_NE(help.out.find(command), std::string::npos) << command;
  }
  auto version = run_bre({"version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("plugin API 2.0"), std::string::npos);
  EXPECT_EQ(run_bre({}).exit_code, 2);
  EXPECT_EQ(run_bre({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(run_bre({"run", "--no-such-option"}).exit_code, 2);
}

// The commands `bre --help` lists, as their words ("dataset", "validate"), with the
// line that lists each; `version` and `help` left out.
std::vector<std::pair<std::vector<std::string>, std::string>> listed_commands() {
  const auto help = run_bre({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  std::vector<std::pair<std::vector<std::string>, std::string>> commands;
  std::istringstream lines(help.out.substr(help.out.find("Commands:")));
  std::string line;
  while (std::getline(lines, line) && line.rfind("Global options", 0) != 0) {
    // Command lines are indented by exactly two spaces: "  dataset validate FILE".
    if (line.size() < 3 || line[0] != ' ' || line[1] != ' ' || line[2] == ' ') continue;
    std::istringstream words(line);
    std::vector<std::string> command;
    for (std::string word; words >> word && std::islower(static_cast<unsigned char>(word[0])) &&
                           word.find('|') == std::string::npos;) {
      command.push_back(word);
    }
    EXPECT_FALSE(command.empty()) << line;
    if (command.empty() || command.front() == "version" || command.front() == "help") continue;
    commands.emplace_back(command, line);
  }
  return commands;
}

// Every command `bre --help` lists answers --help itself, and the README documents it.
TEST(Cli, EveryCommandHasHelpAndIsInTheReadme) {
  const std::string readme = bre::test::read_text(std::string(BRE_SOURCE_DIR) + "/README.md");
  int commands = 0;
  for (const auto& [command, line] : listed_commands()) {
    ++commands;
    auto args = command;
    args.push_back("--help");
    const auto sub = run_bre(args);
    EXPECT_EQ(sub.exit_code, 0) << line << "\n" << sub.err;
    EXPECT_NE(sub.out.find("usage: bre " + command.front()), std::string::npos) << line << "\n" << sub.out;
    std::string text = "bre";
    for (const auto& word : command) text += " " + word;
    EXPECT_NE(readme.find(text), std::string::npos) << "README.md does not mention '" << text << "'";
  }
  EXPECT_GE(commands, 6);
}

// The switches ("--json", "-q [ --quiet ]") in a command's --help, as their long names.
std::vector<std::string> switches_of(const std::vector<std::string>& command) {
  auto args = command;
  args.push_back("--help");
  const auto help = run_bre(args);
  std::vector<std::string> switches;
  std::istringstream lines(help.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("  -", 0) != 0) continue;
    const std::string spec = line.substr(2, line.find("  ", 2) - 2);
    if (spec.find(" arg") != std::string::npos) continue;  // takes a value
    const auto bracket = spec.find("[ ");
    const std::string name = bracket == std::string::npos ? spec : spec.substr(bracket + 2, spec.find(" ]") - bracket - 2);
    if (name != "--help") switches.push_back(name);
  }
  return switches;
}

// `--json --quiet` was reported as "--quiet cannot be specified more than once" and a
// switch a wrapper script adds as well as the user was refused: every switch of every
// command may be given together with the others, and twice.
TEST(Cli, EveryCommandTakesAllItsSwitchesTogetherAndTwice) {
  int tested = 0;
  for (auto [command, line] : listed_commands()) {
    if (command == std::vector<std::string>{"remote"}) command.push_back("get");  // one options table for all
    std::vector<std::string> args = command;
    for (const auto& name : switches_of(command)) {
      args.push_back(name);
      args.push_back(name);
      ++tested;
    }
    args.push_back("--help");
    const auto r = run_bre(args);
    EXPECT_EQ(r.exit_code, 0) << line << "\n" << r.err;
    EXPECT_EQ(r.err, "") << line;
  }
  EXPECT_GE(tested, 8);  // run, rerun, plugins, compare, dataset add-*, remote
}

TEST(Cli, JsonAndQuietTogetherPrintTheJsonSummary) {
  TempDir dir;
  auto r = run_bre({"run", kStandard, "--out", dir.file("out"), "--json", "--quiet", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("{", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\"status\": \"succeeded\""), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

// Under --json a failing command still answers in JSON on stdout: the error with its
// exit code, whatever the path that failed (option parsing, the pipeline, the dataset).
TEST(Cli, ErrorsUnderJsonAreAJsonObjectOnStdout) {
  TempDir dir;
  const std::string pipeline = dir.file("typo.json");
  bre::test::write_text(pipeline, R"({"steps": [{"id": "a", "plugin": "clustering.leiden", "params": {"objective": "modularty"}}]})");
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"run", kStandard, "--seeed", "1", "--json"}, 2,
       "bre run: unrecognised option '--seeed' (did you mean '--seed'?); `bre run --help` lists the options"},
      {{"run", pipeline, "--out", dir.file("out"), "--json"}, 2,
       "bre: " + pipeline +
           ": step 'a' (clustering.leiden): parameter 'objective': expected one of modularity, cpm, found "
           "\"modularty\" (did you mean 'modularity'?)"},
      {{"dataset", "info", dir.file("missing.pb"), "--json"}, 2,
       "bre: " + dir.file("missing.pb") + ": cannot open: No such file or directory"}};
  for (const Case& c : cases) {
    const auto r = run_bre(c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    google::protobuf::Struct answer;
    ASSERT_TRUE(bre::from_json(r.out, "stdout", answer).is_ok()) << r.out;
    const auto& error = answer.fields().at("error").struct_value().fields();
    EXPECT_EQ(error.at("exit_code").number_value(), c.exit_code);
    EXPECT_EQ(error.at("message").string_value(), c.message);
    EXPECT_EQ(r.err, c.message + "\n");  // stderr keeps the line for people
  }
  // Without --json stdout stays empty; with it, a command that answers is unchanged.
  EXPECT_EQ(run_bre({"dataset", "info", dir.file("missing.pb")}).out, "");
  const auto info = run_bre({"dataset", "info", "demo", "--json"});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_EQ(info.out.find("\"error\""), std::string::npos);
}

// The reported case: `mkdir site; echo '{}' > site/manifest.json; echo hi > site/index.html;
// bre run standard.json --out site` deleted index.html and exited 0.
TEST(Cli, OutHoldingOtherFilesIsRefusedBeforeAnythingRuns) {
  TempDir dir;
  bre::test::write_text(dir.file("manifest.json"), "{}\n");
  bre::test::write_text(dir.file("index.html"), "hi\n");
  auto r = run_bre({"--log-level", "info", "run", kStandard, "--out", dir.path()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bre: " + dir.path() + ": holds index.html, which no bre run wrote there"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("started"), std::string::npos) << "steps ran before --out was checked:\n" << r.err;
  EXPECT_EQ(bre::test::read_text(dir.file("index.html")), "hi\n");
  EXPECT_EQ(bre::test::read_text(dir.file("manifest.json")), "{}\n");
  EXPECT_FALSE(std::filesystem::exists(dir.file("run.pb")));
}

TEST(Cli, OutThatCannotBeCreatedIsRefusedBeforeAnythingRuns) {
  TempDir dir;
  bre::test::write_text(dir.file("file"), "x");
  auto under_a_file = run_bre({"--log-level", "info", "run", kStandard, "--out", dir.file("file/out")});
  EXPECT_EQ(under_a_file.exit_code, 2);
  EXPECT_NE(under_a_file.err.find(dir.file("file/out") + ": cannot be created: " + dir.file("file") +
                                  " is not a directory"),
            std::string::npos)
      << under_a_file.err;
  EXPECT_EQ(under_a_file.err.find("started"), std::string::npos) << under_a_file.err;
  auto a_file = run_bre({"run", kStandard, "--out", dir.file("file")});
  EXPECT_EQ(a_file.exit_code, 2);
  EXPECT_NE(a_file.err.find(dir.file("file") + ": exists and is not a directory"), std::string::npos) << a_file.err;
  EXPECT_EQ(line_count(a_file.err), 1) << a_file.err;
}

// `--out results/` failed after the whole run, every time.
TEST(Cli, OutWithATrailingSlash) {
  TempDir dir;
  for (int run = 0; run < 2; ++run) {
    auto r = run_bre({"run", kStandard, "--out", dir.file("results/"), "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_TRUE(std::filesystem::exists(dir.file("results/run.pb")));
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1);
}

// A symbolic link --out (results kept on another disk) stays a link to the new run.
TEST(Cli, OutThatIsASymbolicLinkStaysOne) {
  TempDir dir;
  ASSERT_EQ(run_bre({"run", kStandard, "--out", dir.file("disk/run"), "--quiet"}).exit_code, 0);
  std::filesystem::create_directory_symlink(dir.file("disk/run"), dir.file("out"));
  auto r = run_bre({"run", kStandard, "--out", dir.file("out"), "--quiet", "--seed", "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_symlink(dir.file("out")));
  bre::v1::RunResult result;
  ASSERT_TRUE(result.ParseFromString(bre::test::read_text(dir.file("disk/run/run.pb"))));
  EXPECT_EQ(result.manifest().seed(), 5u);
}

TEST(Cli, PluginsListsTheFiveKinds) {
  auto r = run_bre({"plugins"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* kind : {"[clustering]", "[region definition]", "[indicator]", "[legitimacy]", "[lifecycle]"}) {
    EXPECT_NE(r.out.find(kind), std::string::npos) << kind;
  }
  EXPECT_NE(r.out.find("built-in:"), std::string::npos);
  auto json = run_bre({"plugins", "--json"});
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_NE(json.out.find("\"name\": \"clustering.igraph_leiden\""), std::string::npos);
  EXPECT_NE(json.out.find("\"skipped\": []"), std::string::npos);
}

TEST(Cli, PluginDirectoryOfNonPluginsIsReportedPerFile) {
  auto r = run_bre({"plugins", "--plugin-dir", kBad + "/not_plugins"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(line_count(r.err), 2) << r.err;
  EXPECT_NE(r.err.find("garbage.so: cannot be loaded"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("test_not_a_plugin.so: not a bre plugin"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("clustering.igraph_leiden"), std::string::npos);  // the good ones still listed

  TempDir out;
  auto run = run_bre({"run", kStandard, "--out", out.path(), "--plugin-dir", kBad + "/not_plugins"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--skip-bad-plugins"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(out.file("run.pb")));
}

TEST(Cli, PluginPathFromEnvironment) {
  auto r = run_bre({"plugins"}, {"BRE_PLUGIN_PATH=" + kBad + "/engine"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("test.single_region"), std::string::npos);
  EXPECT_NE(r.out.find("(BRE_PLUGIN_PATH:"), std::string::npos);
}

TEST(Cli, StandardPipelineOnTheDemoDataset) {
  TempDir out;
  auto r = run_bre({"run", kStandard, "--out", out.path(), "--threads", "2", "--seed", "7"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char* file : {"run.pb", "run.json", "manifest.json", "bre.partition.csv", "provinces.partition.csv",
                           "congruence_bre.congruence.csv", "legitimacy.legitimacy.csv", "lifecycle.lifecycle.csv"}) {
    EXPECT_TRUE(std::filesystem::exists(out.file(file))) << file;
  }
  bre::v1::RunResult result;
  ASSERT_TRUE(result.ParseFromString(bre::test::read_text(out.file("run.pb"))));
  EXPECT_EQ(result.manifest().dataset_name(), "demo");
  EXPECT_EQ(result.manifest().seed(), 7u);
  for (const auto& step : result.steps()) EXPECT_EQ(step.status(), bre::v1::STEP_STATUS_SUCCEEDED) << step.step_id();
  for (const auto& entry : std::filesystem::directory_iterator(out.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
  }
}

TEST(Cli, OneAndTwoThreadsGiveIdenticalFiles) {
  TempDir a, b;
  ASSERT_EQ(run_bre({"run", kStandard, "--out", a.path(), "--threads", "1"}).exit_code, 0);
  ASSERT_EQ(run_bre({"run", kStandard, "--out", b.path(), "--threads", "2"}).exit_code, 0);
  for (const auto& entry : std::filesystem::directory_iterator(a.path())) {
    const auto name = entry.path().filename().string();
    EXPECT_EQ(bre::test::read_text(a.file(name)), bre::test::read_text(b.file(name))) << name;
  }
}

TEST(Cli, MoreThreadsThanCoresAreClampedWithAWarning) {
  // The machine's own core count is the limit; results are those of any thread count.
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  TempDir clamped, plain;
  const auto r = run_bre({"run", kStandard, "--out", clamped.path(), "--threads", std::to_string(cores + 1)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("bre: warning: --threads " + std::to_string(cores + 1) + " is more than the " +
                       std::to_string(cores) + " cores of this machine; using " + std::to_string(cores)),
            std::string::npos)
      << r.err;
  ASSERT_EQ(run_bre({"run", kStandard, "--out", plain.path(), "--threads", "1"}).exit_code, 0);
  for (const auto& entry : std::filesystem::directory_iterator(plain.path())) {
    const auto name = entry.path().filename().string();
    EXPECT_EQ(bre::test::read_text(clamped.file(name)), bre::test::read_text(plain.file(name))) << name;
  }
}

TEST(Cli, DatasetDemoConvertValidate) {
  TempDir dir;
  ASSERT_EQ(run_bre({"dataset", "demo", dir.file("demo.pb")}).exit_code, 0);
  ASSERT_EQ(run_bre({"dataset", "convert", dir.file("demo.pb"), dir.file("demo.json")}).exit_code, 0);
  ASSERT_EQ(run_bre({"dataset", "convert", dir.file("demo.json"), dir.file("back.pb")}).exit_code, 0);
  EXPECT_EQ(bre::test::read_text(dir.file("demo.pb")), bre::test::read_text(dir.file("back.pb")));
  auto valid = run_bre({"dataset", "validate", dir.file("demo.json")});
  EXPECT_EQ(valid.exit_code, 0) << valid.err;
  EXPECT_NE(valid.out.find("valid dataset 'demo'"), std::string::npos);
  // Running on an explicit dataset file gives the same result as the built-in default.
  TempDir x, y;
  ASSERT_EQ(run_bre({"run", kStandard, "--out", x.path()}).exit_code, 0);
  ASSERT_EQ(run_bre({"run", kStandard, "--out", y.path(), "--dataset", dir.file("demo.json")}).exit_code, 0);
  EXPECT_EQ(bre::test::read_text(x.file("run.pb")), bre::test::read_text(y.file("run.pb")));
}

TEST(Cli, RerunOfAManifestReproducesTheRunByteForByte) {
  TempDir first, again, data;
  ASSERT_EQ(run_bre({"run", kStandard, "--out", first.path(), "--seed", "1234"}).exit_code, 0);
  auto rerun = run_bre({"rerun", first.file("manifest.json"), "--out", again.path(), "--threads", "1"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_EQ(bre::test::read_text(first.file("run.pb")), bre::test::read_text(again.file("run.pb")));
  EXPECT_EQ(bre::test::read_text(first.file("manifest.json")), bre::test::read_text(again.file("manifest.json")));

  // Another dataset than the manifest's is refused, naming both hashes.
  ASSERT_EQ(run_bre({"dataset", "demo", data.file("other.pb"), "--seed", "9"}).exit_code, 0);
  auto other = run_bre({"rerun", first.file("manifest.json"), "--dataset", data.file("other.pb"), "--out",
                        again.file("x")});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("differs from the manifest's"), std::string::npos) << other.err;

  // A manifest made with another plugin version, or another default, is refused.
  const std::string manifest = bre::test::read_text(first.file("manifest.json"));
  auto edited = [&](const std::string& from, const std::string& to) {
    std::string text = manifest;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    bre::test::write_text(data.file("edited.json"), text);
    return run_bre({"rerun", data.file("edited.json"), "--out", again.file("y")});
  };
  auto version = edited("\"plugin_version\": \"1.0.0\"", "\"plugin_version\": \"0.9.0\"");
  EXPECT_EQ(version.exit_code, 2);
  EXPECT_NE(version.err.find("made with clustering.multiscale 0.9.0, the loaded plugin is version 1.0.0"),
            std::string::npos)
      << version.err;
  // The first step's first number parameter by name: consensus_threshold.
  auto defaults = edited("\"double_value\": 0.5", "\"double_value\": 0.6");
  EXPECT_EQ(defaults.exit_code, 2);
  EXPECT_NE(defaults.err.find("parameter 'consensus_threshold' defaulted to 0.6, the loaded clustering.multiscale "
                              "defaults to 0.5"),
            std::string::npos)
      << defaults.err;
}

struct BadInput {
  std::string name;
  std::vector<std::string> args;
  std::string file_name;     // written into a temp dir; "{}" in args is replaced by its path
  std::string file_content;
  int exit_code;
  std::string message;       // must appear in stderr
};

void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }

class CliBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliBadInput, OneLineErrorAndExitCode) {
  const auto& c = GetParam();
  TempDir dir;
  std::vector<std::string> args = c.args;
  if (!c.file_name.empty()) {
    bre::test::write_text(dir.file(c.file_name), c.file_content);
    for (auto& a : args) {
      if (a == "{}") a = dir.file(c.file_name);
    }
  }
  args.push_back("--out");
  args.push_back(dir.file("out"));
  if (args[0] != "run") args.resize(args.size() - 2);
  auto r = run_bre(args);
  EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
  EXPECT_NE(r.err.find(c.message), std::string::npos) << "stderr: " << r.err;
  EXPECT_EQ(line_count(r.err), 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("out/run.pb")));
}

// What the numeric flags accept, as their errors say it.
const std::string kThreadsRange = "--threads: expected a whole number from 0 (all cores) to 4096, found ";
const std::string kSeedRange = "--seed: expected a whole number from 0 to 18446744073709551615, found ";
const std::string kMemoryRange = "--step-memory-limit: expected a whole number from 0 (none) to 16777216, found ";
const std::string kTimeRange = "--step-time-limit: expected a number from 0 (none) to 31536000 seconds, found ";

const std::string kSmallDatasetJson = R"({"name": "x", "municipalities": [{"code": "GM1", "name": "A"}]})";

INSTANTIATE_TEST_SUITE_P(
    Cases, CliBadInput,
    ::testing::Values(
        BadInput{"CorruptProtobuf", {"run", kStandard, "--dataset", "{}"}, "d.pb", std::string("\x0a\xff\xff\xff\x01", 5), 2,
                 "not a valid bre.v1.Dataset protobuf file"},
        BadInput{"JsonUnknownField", {"dataset", "validate", "{}"}, "d.json", R"({"nmae": "x"})", 2, "nmae"},
        BadInput{"JsonWrongType", {"dataset", "validate", "{}"}, "d.json", R"({"reference_year": "soon"})", 2,
                 "reference_year"},
        BadInput{"EmptyDataset", {"run", kStandard, "--dataset", "{}"}, "d.json", "{}", 2,
                 "municipalities: the dataset has no municipalities"},
        BadInput{"PipelineMissingStep", {"run", "{}"}, "p.json",
                 R"({"steps": [{"id": "c", "plugin": "indicator.congruence", "inputs": ["bre"]}]})", 2,
                 "step 'c': input 'bre' is not a step of this pipeline"},
        BadInput{"ParameterWrongType", {"run", "{}"}, "p.json",
                 R"({"steps": [{"id": "bre", "plugin": "clustering.igraph_leiden", "params": {"resolution": "1"}}]})", 2,
                 "step 'bre' (clustering.igraph_leiden): parameter 'resolution': expected a number in [0, 100], found \"1\""},
        BadInput{"UnknownPlugin", {"run", "{}"}, "p.json", R"({"steps": [{"id": "x", "plugin": "clustering.magic"}]})",
                 2, "step 'x': unknown plugin 'clustering.magic'"},
        BadInput{"PipelineNotJson", {"run", "{}"}, "p.json", "steps: [", 2, "invalid bre.v1.PipelineSpec JSON"},
        BadInput{"MissingPipeline", {"run", "/nonexistent/p.json"}, "", "", 2, "/nonexistent/p.json: cannot open"},
        BadInput{"BadThreads", {"run", kStandard, "--threads", "-1"}, "", "", 2,
                 kThreadsRange + "'-1'"},
        // Numbers are read strictly: no sign where none is allowed, nothing after
        // the number, nothing out of range (a negative seed became 2^64 - 1).
        BadInput{"ThreadsWithTrailingText", {"run", kStandard, "--threads", "3abc"}, "", "", 2,
                 kThreadsRange + "'3abc'"},
        BadInput{"ThreadsOverflow", {"run", kStandard, "--threads", "99999999999"}, "", "", 2,
                 kThreadsRange + "'99999999999'"},
        BadInput{"NegativeSeed", {"run", kStandard, "--seed", "-1"}, "", "", 2,
                 kSeedRange + "'-1'"},
        BadInput{"SeedOverflow", {"run", kStandard, "--seed", "18446744073709551616"}, "", "", 2,
                 kSeedRange + "'18446744073709551616'"},
        BadInput{"SeedNotAWholeNumber", {"run", kStandard, "--seed", "1e3"}, "", "", 2,
                 kSeedRange + "'1e3'"},
        BadInput{"NegativeZeroMemoryLimit", {"run", kStandard, "--step-memory-limit", "-0"}, "", "", 2,
                 kMemoryRange + "'-0'"},
        BadInput{"MemoryLimitInBytesWouldOverflow", {"run", kStandard, "--step-memory-limit", "17592186044416"}, "", "",
                 2, kMemoryRange + "'17592186044416'"},
        BadInput{"TimeLimitNotANumber", {"run", kStandard, "--step-time-limit", "nan"}, "", "", 2,
                 kTimeRange + "'nan'"},
        BadInput{"TimeLimitBeyondTheClock", {"run", kStandard, "--step-time-limit", "1e300"}, "", "", 2,
                 kTimeRange + "'1e300'"},
        // A flag is its whole name: an abbreviation is not guessed.
        BadInput{"AbbreviatedFlag", {"run", kStandard, "--thread", "2"}, "", "", 2,
                 "bre run: unrecognised option '--thread' (did you mean '--threads'?)"},
        // Misspelt words get the closest names.
        BadInput{"MisspeltCommand", {"rnu", kStandard}, "", "", 2, "bre: unknown command 'rnu' (did you mean 'run'?)"},
        BadInput{"MisspeltDatasetCommand", {"dataset", "add-indicator", "x"}, "", "", 2,
                 "bre: unknown dataset subcommand 'add-indicator' (did you mean 'add-indicators'?)"},
        BadInput{"MisspeltMap", {"map", "partiton"}, "", "", 2,
                 "bre map: unknown map 'partiton' (did you mean 'partition'?)"},
        BadInput{"MisspeltRemoteCommand", {"remote", "wacth", "r", "--server", "127.0.0.1:1"}, "", "", 2,
                 "bre remote: unknown command 'wacth' (did you mean 'watch'?)"},
        BadInput{"RepeatedValue", {"run", kStandard, "--threads", "1", "--threads", "2"}, "", "", 2,
                 "bre run: option '--threads' cannot be specified more than once"},
        BadInput{"RerunNegativeThreads", {"rerun", "{}", "--threads", "-2"}, "m.json", "{}", 2,
                 kThreadsRange + "'-2'"},
        BadInput{"DemoNegativeSeed", {"dataset", "demo", "/nonexistent/d.pb", "--seed", "-1"}, "", "", 2,
                 kSeedRange + "'-1'"},
        BadInput{"RemoteNegativeSeed",
                 {"remote", "run", "p.json", "--dataset-id", "x", "--seed", "-1", "--server", "127.0.0.1:1"}, "", "", 2,
                 "bre remote: " + kSeedRange + "'-1'"},
        BadInput{"RemoteDeadlineNotANumber",
                 {"remote", "run", "p.json", "--dataset-id", "x", "--deadline", "nan", "--server", "127.0.0.1:1"}, "",
                 "", 2, "bre remote: --deadline: expected a number from 0 (the server's default) to 31536000 seconds"},
        BadInput{"MapClassesWithTrailingText", {"map", "network", "--classes", "3x", "--out", "/nonexistent/m.svg"}, "",
                 "", 2, "bre map network: the argument ('3x') for option '--classes' is invalid"},
        BadInput{"CompareResolutionNotANumber", {"compare", "a", "b", "--resolution", "nan"}, "", "", 2,
                 "--resolution: expected a number greater than 0, found 'nan'"},
        BadInput{"ConvertIntoMissingDir", {"dataset", "convert", "{}", "/nonexistent/dir/x.pb"}, "d.json",
                 kSmallDatasetJson, 2, "/nonexistent/dir/x.pb"}),
    [](const auto& info) { return info.param.name; });

// Input limits (docs/input-limits.md): each used to crash, hang or pass unnoticed.
INSTANTIATE_TEST_SUITE_P(
    InputLimits, CliBadInput,
    ::testing::Values(
        BadInput{"NanCentroid", {"dataset", "validate", "{}"}, "d.json",
                 R"({"name": "x", "municipalities": [{"code": "GM1", "centroid": {"x": "NaN", "y": 0}}]})", 2,
                 "municipalities[0].centroid.x: expected a finite coordinate within ±100000000 m, found nan"},
        BadInput{"DatasetFromADevice", {"run", kStandard, "--dataset", "/dev/zero"}, "", "", 2,
                 "/dev/zero: expected a regular file, found a character device"},
        BadInput{"PipelineSyntaxErrorHasLineAndColumn", {"run", "{}"}, "p.json", "{\"steps\": [\n  {\"id\": 'a'}]}", 2,
                 "p.json:2:10: invalid bre.v1.PipelineSpec JSON: expected a value, found '''"},
        BadInput{"StepsAsAnObject", {"run", "{}"}, "p.json", R"({"steps": {"id": "a", "plugin": "region.provinces"}})",
                 2, "p.json:1:11: steps: expected an array of steps, found an object"},
        BadInput{"StepIdTooLong", {"run", "{}"}, "p.json",
                 R"({"steps": [{"id": ")" + std::string(300, 'a') + R"(", "plugin": "region.provinces"}]})", 2,
                 "steps[0].id: expected at most 64 characters, found 300"}),
    [](const auto& info) { return info.param.name; });

// A centroid of 1e300 passed `dataset validate` and then crashed the network map of
// the standard pipeline (SIGSEGV in llround's caller); now the dataset is refused.
TEST(Cli, FarCentroidIsRefusedBeforeTheRun) {
  TempDir dir;
  bre::v1::Dataset dataset = bre::demo::generate();
  dataset.mutable_municipalities(12)->mutable_centroid()->set_x(1e300);
  ASSERT_TRUE(bre::write_dataset(dataset, dir.file("d.pb")).is_ok());
  auto r = run_bre({"run", kStandard, "--dataset", dir.file("d.pb"), "--out", dir.file("out")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("municipalities[12].centroid.x: expected a finite coordinate within ±100000000 m, found 1e+300"),
            std::string::npos)
      << r.err;
  auto validate = run_bre({"dataset", "validate", dir.file("d.pb")});
  EXPECT_EQ(validate.exit_code, 2);
  EXPECT_EQ(line_count(validate.err), 1) << validate.err;
}

}  // namespace
