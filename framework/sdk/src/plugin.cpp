#include "bre/plugin.hpp"

namespace bre {

StepContext::StepContext(std::string step_id, const DatasetIndex& dataset, const Params& params, std::uint64_t seed,
                         std::vector<StepInput> inputs, const std::atomic<bool>* cancel_flag, spdlog::logger* logger,
                         ProgressCallback progress, const v1::Manifest* manifest)
    : step_id_(std::move(step_id)),
      dataset_(&dataset),
      params_(&params),
      seed_(seed),
      inputs_(std::move(inputs)),
      cancel_flag_(cancel_flag),
      logger_(logger),
      progress_(std::move(progress)),
      manifest_(manifest) {}

void StepContext::report_progress(std::uint64_t done, std::uint64_t total) const {
  if (progress_) progress_(done, total);
}

const v1::Partition* StepContext::input_partition() const {
  for (const auto& input : inputs_) {
    if (input.artifacts != nullptr && input.artifacts->partitions_size() > 0) return &input.artifacts->partitions(0);
  }
  return nullptr;
}

}  // namespace bre
