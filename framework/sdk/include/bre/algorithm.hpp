// The run contract every algorithm object of bre keeps (NetworKit's Algorithm): it is
// built from its inputs and a named parameter struct, run() once, and its accessors
// refuse to answer before a successful run(), instead of returning empty results.
#pragma once

#include "bre/export.hpp"

namespace bre BRE_SDK_API {

class AlgorithmBase {
 public:
  /// Whether run() has succeeded.
  bool has_run() const { return has_run_; }

 protected:
  /// `name` is the class's name as errors print it ("Leiden"); a string literal.
  explicit AlgorithmBase(const char* name) : name_(name) {}
  ~AlgorithmBase() = default;
  AlgorithmBase(const AlgorithmBase&) = default;
  AlgorithmBase& operator=(const AlgorithmBase&) = default;

  /// run() calls this: false when it starts, true when it succeeds.
  void set_has_run(bool has_run) { has_run_ = has_run; }

  /// Throws std::logic_error "Leiden::membership() called before a successful run()"
  /// unless run() has succeeded: asking for a result that does not exist is a bug in
  /// the caller, not an input error.
  void require_run(const char* accessor) const;

 private:
  const char* name_;
  bool has_run_ = false;
};

}  // namespace bre
