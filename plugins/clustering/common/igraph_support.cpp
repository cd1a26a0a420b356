#include "igraph_support.hpp"


namespace bre::clustering {
namespace {

// The message of the last igraph error. Guarded by igraph_mutex(); reset per call.
std::string& last_igraph_error() {
  static std::string message;
  return message;
}

// Records the error instead of aborting; igraph requires a handler that returns to
// free its "finally" stack, which IGRAPH_FINALLY_FREE does.
void record_igraph_error(const char* reason, const char* file, int line, igraph_error_t code) {
  last_igraph_error() = std::string(reason != nullptr ? reason : "unknown error") + " (" +
                        igraph_strerror(code) + ", " + (file != nullptr ? file : "?") + ":" +
                        std::to_string(line) + ")";
  IGRAPH_FINALLY_FREE();
}

}  // namespace

IgraphHandlerScope::IgraphHandlerScope()
    : previous_error_(igraph_set_error_handler(&record_igraph_error)),
      previous_warning_(igraph_set_warning_handler(&igraph_warning_handler_ignore)) {
  last_igraph_error().clear();
}

IgraphHandlerScope::~IgraphHandlerScope() {
  igraph_set_warning_handler(previous_warning_);
  igraph_set_error_handler(previous_error_);
}

Status igraph_status(igraph_error_t code, const std::string& call) {
  const std::string& recorded = last_igraph_error();
  return internal_error(call + " failed: " + (recorded.empty() ? std::string(igraph_strerror(code)) : recorded));
}

std::uint64_t igraph_rng_seed_for(std::uint64_t seed) {
  if constexpr (sizeof(igraph_uint_t) >= sizeof(std::uint64_t)) {
    return seed;
  } else {
    return (seed ^ (seed >> 32)) & 0xffffffffULL;
  }
}

RealVector::~RealVector() {
  if (initialised_) igraph_vector_destroy(&vector_);
}

Status RealVector::init(const std::vector<double>& values) {
  const igraph_error_t code =
      igraph_vector_init_array(&vector_, values.data(), static_cast<igraph_integer_t>(values.size()));
  initialised_ = code == IGRAPH_SUCCESS;
  return initialised_ ? Status::ok() : igraph_status(code, "igraph_vector_init_array");
}

IntVector::~IntVector() {
  if (initialised_) igraph_vector_int_destroy(&vector_);
}

Status IntVector::init(const std::vector<igraph_integer_t>& values) {
  const igraph_error_t code =
      igraph_vector_int_init_array(&vector_, values.data(), static_cast<igraph_integer_t>(values.size()));
  initialised_ = code == IGRAPH_SUCCESS;
  return initialised_ ? Status::ok() : igraph_status(code, "igraph_vector_int_init_array");
}

Membership IntVector::to_membership() const {
  const igraph_integer_t size = igraph_vector_int_size(&vector_);
  Membership membership(static_cast<std::size_t>(size));
  for (igraph_integer_t i = 0; i < size; ++i) membership[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(VECTOR(vector_)[i]);
  return membership;
}

IntMatrix::~IntMatrix() {
  if (initialised_) igraph_matrix_int_destroy(&matrix_);
}

Status IntMatrix::init() {
  const igraph_error_t code = igraph_matrix_int_init(&matrix_, 0, 0);
  initialised_ = code == IGRAPH_SUCCESS;
  return initialised_ ? Status::ok() : igraph_status(code, "igraph_matrix_int_init");
}

IgraphGraph::~IgraphGraph() {
  if (initialised_) igraph_destroy(&graph_);
}

Status IgraphGraph::init(const Graph& graph) {
  std::vector<igraph_integer_t> endpoints;
  std::vector<double> weights;
  endpoints.reserve(2 * graph.edges().size());
  weights.reserve(graph.edges().size());
  for (const WeightedEdge& e : graph.edges()) {
    endpoints.push_back(static_cast<igraph_integer_t>(e.u));
    endpoints.push_back(static_cast<igraph_integer_t>(e.v));
    weights.push_back(e.weight);
  }
  BRE_RETURN_IF_ERROR(endpoints_.init(endpoints));
  BRE_RETURN_IF_ERROR(weights_.init(weights));
  const igraph_error_t code = igraph_create(&graph_, endpoints_.get(), static_cast<igraph_integer_t>(graph.node_count()), IGRAPH_UNDIRECTED);
  if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_create");
  initialised_ = true;
  return Status::ok();
}

Expected<Membership> igraph_multilevel(const Graph& graph, double resolution, std::uint64_t seed) {
  return with_igraph(graph, seed, [&](IgraphGraph& igraph_graph) -> Expected<Membership> {
    IntVector membership;
    BRE_RETURN_IF_ERROR(membership.init({}));
    const igraph_error_t code = igraph_community_multilevel(igraph_graph.get(), igraph_graph.weights(), resolution,
                                                            membership.get(), /*memberships=*/nullptr,
                                                            /*modularity=*/nullptr);
    if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_community_multilevel");
    return canonical_labels(membership.to_membership());
  });
}

Expected<double> igraph_modularity(const Graph& graph, const Membership& membership, double resolution) {
  return with_igraph(graph, std::nullopt, [&](IgraphGraph& igraph_graph) -> Expected<double> {
    IntVector labels;
    BRE_RETURN_IF_ERROR(labels.init(std::vector<igraph_integer_t>(membership.begin(), membership.end())));
    igraph_real_t q = 0.0;
    const igraph_error_t code = igraph_modularity(igraph_graph.get(), labels.get(), igraph_graph.weights(), resolution,
                                                  /*directed=*/false, &q);
    if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_modularity");
    return q;
  });
}

}  // namespace bre::clustering
