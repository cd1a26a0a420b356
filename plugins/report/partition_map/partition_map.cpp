#include "partition_map.hpp"

#include <utility>

namespace bre::report {

Expected<v1::Document> partition_map_document(const DatasetIndex& index, const v1::Partition& partition,
                                              const map::PartitionMapOptions& options) {
  Expected<std::string> svg = map::render_partition_map(index, partition, options);
  if (!svg) return svg.status();
  v1::Document document;
  document.set_name("partition.svg");
  document.set_media_type("image/svg+xml");
  document.set_title(map::partition_map_title(index, partition, options));
  document.set_content(std::move(*svg));
  return document;
}

}  // namespace bre::report
