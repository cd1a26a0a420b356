#include "bre/service/retention.hpp"

#include <algorithm>

namespace bre::service {
namespace {

constexpr double kMillisecondsPerDay = 24.0 * 3600.0 * 1000.0;

}  // namespace

std::vector<std::size_t> select_for_removal(const std::vector<StoredItem>& items, const RetentionPolicy& policy,
                                            std::int64_t now_unix_ms) {
  std::vector<bool> removed(items.size(), false);
  std::vector<std::size_t> chosen;
  auto remove = [&](std::size_t i) {
    removed[i] = true;
    chosen.push_back(i);
  };
  // The removable items of one kind, oldest first.
  auto oldest_first = [&](StoredItem::Kind kind) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].kind == kind && !items[i].in_use) order.push_back(i);
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (items[a].last_used_unix_ms != items[b].last_used_unix_ms) {
        return items[a].last_used_unix_ms < items[b].last_used_unix_ms;
      }
      return items[a].id < items[b].id;
    });
    return order;
  };
  const auto runs = oldest_first(StoredItem::Kind::kRun);
  const auto datasets = oldest_first(StoredItem::Kind::kDataset);

  if (policy.max_age_days > 0) {
    const double oldest_kept = static_cast<double>(now_unix_ms) - policy.max_age_days * kMillisecondsPerDay;
    for (const auto* order : {&runs, &datasets}) {
      for (std::size_t i : *order) {
        if (static_cast<double>(items[i].last_used_unix_ms) < oldest_kept) remove(i);
      }
    }
  }
  // Keeps at most `limit` items of `order`'s kind (`in_use` ones count but stay).
  auto keep_at_most = [&](const std::vector<std::size_t>& order, std::int64_t limit, StoredItem::Kind kind,
                          bool count_in_use) {
    if (limit <= 0) return;
    std::int64_t left = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].kind == kind && !removed[i] && (count_in_use || !items[i].in_use)) ++left;
    }
    for (std::size_t i : order) {
      if (left <= limit) break;
      if (!removed[i]) {
        remove(i);
        --left;
      }
    }
  };
  // Queued and running runs are not "finished runs kept"; datasets in use are datasets kept.
  keep_at_most(runs, policy.max_runs, StoredItem::Kind::kRun, false);
  keep_at_most(datasets, policy.max_datasets, StoredItem::Kind::kDataset, true);

  if (policy.max_store_bytes > 0) {
    std::int64_t total = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!removed[i]) total += items[i].bytes;
    }
    for (const auto* order : {&runs, &datasets}) {
      for (std::size_t i : *order) {
        if (total <= policy.max_store_bytes) break;
        if (removed[i]) continue;
        remove(i);
        total -= items[i].bytes;
      }
    }
  }
  return chosen;
}

}  // namespace bre::service
