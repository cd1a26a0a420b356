// bre-community-bench: the driver tools/bench/run.sh starts once per measurement, so
// each tool's peak memory is its own process's. Subcommands:
//   generate --nodes N --groups G --degree D --mixing MU --seed S --out FILE
//       a planted-partition graph (bre/planted_partition.hpp) as an edge file
//   network (--dataset FILE | --demo) --out FILE
//       the dataset's cooperation network (count weighting, cooperation kinds)
//   cluster --tool native-leiden|native-louvain|igraph-leiden|igraph-multilevel
//           --graph FILE [--seed S] [--resolution R] [--threads T] [--iterations I]
//           [--coarse-iterations C] [--schedule auto|sequential|parallel]
//       prints: tool,seconds,modularity,communities (clustering only, not loading), and
//       for native Leiden the iterations it ran on stderr;
//       Leiden with --iterations I >= 0 is named tool-Iit; -1 (default) = until stable;
//       native Leiden with coarse iterations C != 1 (default 1) adds "-Ccoarse"
//       ("-coarse-until-stable" for -1)
//   ensemble --graph FILE --members N --threads T [--seed S]
//       N native Leiden members + consensus; prints: threads,members,seconds,members_per_second,regions
// Edge file (little-endian): "BREEDGE1", u64 node count, u64 edge count, then per edge
// u32 u, u32 v, f64 weight. tools/bench/leidenalg_bench.py reads the same format.
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "bre/clustering/ensemble.hpp"
#include "bre/clustering/leiden.hpp"
#include "bre/clustering/louvain.hpp"
#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/io.hpp"
#include "bre/network.hpp"
#include "bre/partition.hpp"
#include "bre/planted_partition.hpp"
#include "igraph_leiden.hpp"
#include "igraph_support.hpp"

namespace {

constexpr char kMagic[8] = {'B', 'R', 'E', 'E', 'D', 'G', 'E', '1'};

struct EdgeRecord {
  std::uint32_t u;
  std::uint32_t v;
  double weight;
};
static_assert(sizeof(EdgeRecord) == 16);

int fail(const std::string& message) {
  std::fprintf(stderr, "bre-community-bench: %s\n", message.c_str());
  return 2;
}

bre::Status write_edges(const bre::Graph& graph, const std::string& path) {
  const std::uint64_t header[2] = {graph.node_count(), graph.edges().size()};
  std::string bytes(sizeof(kMagic) + sizeof(header) + graph.edges().size() * sizeof(EdgeRecord), '\0');
  char* out = bytes.data();
  std::memcpy(out, kMagic, sizeof(kMagic));
  std::memcpy(out + sizeof(kMagic), header, sizeof(header));
  out += sizeof(kMagic) + sizeof(header);
  for (const bre::WeightedEdge& e : graph.edges()) {
    const EdgeRecord record{e.u, e.v, e.weight};
    std::memcpy(out, &record, sizeof(record));
    out += sizeof(record);
  }
  return bre::write_file_atomically(path, bytes);
}

bre::Expected<bre::Graph> read_edges(const std::string& path) {
  bre::Expected<std::string> bytes = bre::read_file(path);
  if (!bytes) return bytes.status();
  const std::size_t header_size = sizeof(kMagic) + 2 * sizeof(std::uint64_t);
  if (bytes->size() < header_size || std::memcmp(bytes->data(), kMagic, sizeof(kMagic)) != 0) {
    return bre::invalid_argument(path + ": expected an edge file starting with BREEDGE1");
  }
  std::uint64_t header[2];
  std::memcpy(header, bytes->data() + sizeof(kMagic), sizeof(header));
  if (bytes->size() != header_size + header[1] * sizeof(EdgeRecord)) {
    return bre::invalid_argument(path + ": header promises " + std::to_string(header[1]) + " edges, the file has " +
                                 std::to_string((bytes->size() - header_size) / sizeof(EdgeRecord)));
  }
  std::vector<bre::WeightedEdge> edges(header[1]);
  const char* in = bytes->data() + header_size;
  for (bre::WeightedEdge& e : edges) {
    EdgeRecord record;
    std::memcpy(&record, in, sizeof(record));
    in += sizeof(record);
    e = {record.u, record.v, record.weight};
  }
  bytes->clear();
  bytes->shrink_to_fit();
  return bre::Graph::from_edges(header[0], std::move(edges));
}

using Options = std::map<std::string, std::string>;

std::string option(const Options& options, const std::string& name, const std::string& fallback = "") {
  const auto found = options.find(name);
  return found == options.end() ? fallback : found->second;
}

int generate(const Options& options) {
  const bre::Expected<bre::demo::PlantedPartition> planted = bre::demo::planted_partition(
      {.nodes = std::stoull(option(options, "nodes", "10000")),
       .groups = std::stoull(option(options, "groups", "100")),
       .mean_degree = std::stod(option(options, "degree", "20")),
       .mixing = std::stod(option(options, "mixing", "0.3")),
       .seed = std::stoull(option(options, "seed", "1"))});
  if (!planted) return fail(planted.status().message());
  const bre::Status written = write_edges(planted->graph, option(options, "out"));
  return written.is_ok() ? 0 : fail(written.message());
}

int network(const Options& options) {
  bre::v1::Dataset dataset;
  if (options.count("demo")) {
    dataset = bre::demo::generate();
  } else {
    bre::Expected<bre::v1::Dataset> read = bre::read_dataset(option(options, "dataset"));
    if (!read) return fail(read.status().message());
    dataset = std::move(read).value();
  }
  const bre::DatasetIndex index(dataset);
  bre::Expected<bre::Graph> graph = bre::build_cooperation_network(index, bre::NetworkOptions{});
  if (!graph) return fail(graph.status().message());
  const bre::Status written = write_edges(*graph, option(options, "out"));
  return written.is_ok() ? 0 : fail(written.message());
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int cluster(const Options& options) {
  bre::Expected<bre::Graph> graph = read_edges(option(options, "graph"));
  if (!graph) return fail(graph.status().message());
  const std::string tool = option(options, "tool");
  const std::uint64_t seed = std::stoull(option(options, "seed", "1"));
  const double resolution = std::stod(option(options, "resolution", "1"));
  const bre::Expected<bre::clustering::Schedule> schedule =
      bre::clustering::parse_schedule(option(options, "schedule", "auto"));
  if (!schedule) return fail(schedule.status().message());
  const std::int64_t iterations = std::stoll(option(options, "iterations", "-1"));
  const std::int64_t coarse_iterations = std::stoll(option(options, "coarse-iterations", "1"));
  const int threads = std::stoi(option(options, "threads", "1"));
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  bre::Membership membership;
  std::int64_t leiden_iterations = -1;  // native Leiden's, reported on stderr
  const auto start = std::chrono::steady_clock::now();
  if (tool == "native-leiden") {
    bre::clustering::Leiden leiden(
        *graph, {.resolution = resolution,
                 .iterations = iterations,
                 .coarse_iterations = coarse_iterations,
                 .seed = seed,
                 .schedule = *schedule});
    if (const bre::Status s = leiden.run(); !s) return fail(s.message());
    membership = leiden.membership();
    leiden_iterations = leiden.iterations_run();
  } else if (tool == "native-louvain") {
    bre::clustering::Louvain louvain(*graph, {.resolution = resolution, .seed = seed, .schedule = *schedule});
    if (const bre::Status s = louvain.run(); !s) return fail(s.message());
    membership = louvain.membership();
  } else if (tool == "igraph-leiden") {
    bre::clustering::IgraphLeidenParameters parameters;
    parameters.resolution = resolution;
    parameters.seed = seed;
    parameters.iterations = iterations;
    bre::clustering::IgraphLeiden leiden(*graph, parameters);
    if (const bre::Status s = leiden.run(); !s) return fail(s.message());
    membership = leiden.membership();
  } else if (tool == "igraph-multilevel") {
    bre::Expected<bre::Membership> multilevel = bre::clustering::igraph_multilevel(*graph, resolution, seed);
    if (!multilevel) return fail(multilevel.status().message());
    membership = std::move(*multilevel);
  } else {
    return fail("--tool: expected native-leiden, native-louvain, igraph-leiden or igraph-multilevel, found \"" +
                tool + "\"");
  }
  const double elapsed = seconds_since(start);
  if (leiden_iterations >= 0) {
    std::fprintf(stderr, "native-leiden: %lld iterations\n", static_cast<long long>(leiden_iterations));
  }
  // A Leiden run of a fixed number of iterations is its own row: "native-leiden-2it",
  // and so is one with coarse iterations: "native-leiden-1it-3coarse".
  std::string label = tool.find("leiden") != std::string::npos && iterations >= 0
                          ? tool + "-" + std::to_string(iterations) + "it"
                          : tool;
  if (tool == "native-leiden" && coarse_iterations != 1) {
    label += coarse_iterations < 0 ? "-coarse-until-stable" : "-" + std::to_string(coarse_iterations) + "coarse";
  }
  std::printf("%s,%.6f,%.6f,%d\n", label.c_str(), elapsed, bre::modularity(*graph, membership, resolution),
              bre::region_count(membership));
  return 0;
}

int ensemble(const Options& options) {
  bre::Expected<bre::Graph> graph = read_edges(option(options, "graph"));
  if (!graph) return fail(graph.status().message());
  const int threads = std::stoi(option(options, "threads", "1"));
  const std::int64_t members = std::stoll(option(options, "members", "1000"));
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  tbb::task_arena arena(threads);
  bre::Status status;
  std::int32_t regions = 0;
  const auto start = std::chrono::steady_clock::now();
  arena.execute([&] {
    bre::clustering::Ensemble run(*graph, {.members = members, .seed = std::stoull(option(options, "seed", "1"))});
    status = run.run();
    if (status) regions = bre::region_count(run.consensus());
  });
  const double elapsed = seconds_since(start);
  if (!status) return fail(status.message());
  std::printf("%d,%lld,%.6f,%.1f,%d\n", threads, static_cast<long long>(members), elapsed,
              static_cast<double>(members) / elapsed, regions);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return fail("usage: bre-community-bench generate|network|cluster|ensemble [--option value ...]");
  const std::string command = argv[1];
  Options options;
  for (int i = 2; i < argc; ++i) {
    std::string name = argv[i];
    if (name.rfind("--", 0) != 0) return fail("expected an option --name, found \"" + name + "\"");
    name = name.substr(2);
    if (name == "demo") {
      options[name] = "1";
    } else if (i + 1 < argc) {
      options[name] = argv[++i];
    } else {
      return fail("--" + name + ": missing value");
    }
  }
  try {
    if (command == "generate") return generate(options);
    if (command == "network") return network(options);
    if (command == "cluster") return cluster(options);
    if (command == "ensemble") return ensemble(options);
  } catch (const std::exception& error) {
    return fail(command + ": " + error.what());
  }
  return fail("unknown command \"" + command + "\"");
}
