#include "bre/clustering/algorithm.hpp"

#include "bre/clustering/label_propagation.hpp"
#include "bre/clustering/leiden.hpp"
#include "bre/clustering/louvain.hpp"
#include "bre/clustering/schedule.hpp"

namespace bre::clustering {
namespace {

class LeidenDetection final : public CommunityDetection {
 public:
  std::string_view name() const override { return "leiden"; }
  bool has_resolution() const override { return true; }
  Expected<Membership> cluster(const Graph& graph, double resolution, std::uint64_t seed) const override {
    Leiden leiden(graph, {.objective = Objective::kModularity, .resolution = resolution, .seed = seed});
    BRE_RETURN_IF_ERROR(leiden.run());
    return leiden.membership();
  }
};

class LouvainDetection final : public CommunityDetection {
 public:
  std::string_view name() const override { return "louvain"; }
  bool has_resolution() const override { return true; }
  Expected<Membership> cluster(const Graph& graph, double resolution, std::uint64_t seed) const override {
    Louvain louvain(graph, {.resolution = resolution, .seed = seed});
    BRE_RETURN_IF_ERROR(louvain.run());
    return louvain.membership();
  }
};

class LabelPropagationDetection final : public CommunityDetection {
 public:
  std::string_view name() const override { return "label_propagation"; }
  bool has_resolution() const override { return false; }
  Expected<Membership> cluster(const Graph& graph, double /*resolution*/, std::uint64_t seed) const override {
    LabelPropagation propagation(graph, {.seed = seed});
    BRE_RETURN_IF_ERROR(propagation.run());
    return propagation.membership();
  }
};

}  // namespace

std::shared_ptr<const CommunityDetection> leiden_detection() {
  static const auto instance = std::make_shared<const LeidenDetection>();
  return instance;
}

std::shared_ptr<const CommunityDetection> louvain_detection() {
  static const auto instance = std::make_shared<const LouvainDetection>();
  return instance;
}

std::shared_ptr<const CommunityDetection> label_propagation_detection() {
  static const auto instance = std::make_shared<const LabelPropagationDetection>();
  return instance;
}

Expected<Schedule> parse_schedule(const std::string& text) {
  if (text == "auto") return Schedule::kAuto;
  if (text == "sequential") return Schedule::kSequential;
  if (text == "parallel") return Schedule::kParallel;
  return invalid_argument("schedule: expected \"auto\", \"sequential\" or \"parallel\", found \"" + text + "\"");
}

Expected<std::shared_ptr<const CommunityDetection>> parse_algorithm(const std::string& name) {
  for (auto make : {&leiden_detection, &louvain_detection, &label_propagation_detection}) {
    std::shared_ptr<const CommunityDetection> algorithm = make();
    if (algorithm->name() == name) return algorithm;
  }
  return invalid_argument("algorithm: expected \"leiden\", \"louvain\" or \"label_propagation\", found \"" + name +
                          "\"");
}

}  // namespace bre::clustering
