// Parameters declared once: a plugin names a number parameter by a C++ constant that
// both its description and its run() go through, so a misspelt parameter name fails
// to compile instead of failing the step at run time (Params throws on unknown names).
//
//   constexpr bre::ParameterDecl<std::int64_t> kYear{"year", 0, 0, 9999, "Year of the values; 0 = the latest."};
//   describe():  .parameter(kYear.spec())
//   run():       const std::int64_t year = kYear.read(context.params());
//
// Header-only and outside the exported API (bre/export.hpp), as bre/plugin_helpers.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "bre/params.hpp"
#include "bre/v1/plugin.pb.h"

namespace bre {

/// A double or int parameter: name, default, inclusive range and the one-line doc of
/// its spec (with unit and meaning of special values).
template <typename T>
class ParameterDecl {
  static_assert(std::is_same_v<T, double> || std::is_same_v<T, std::int64_t>,
                "ParameterDecl holds a double or an std::int64_t parameter");

 public:
  constexpr ParameterDecl(const char* name, T default_value, T minimum, T maximum, const char* doc)
      : name_(name), default_value_(default_value), minimum_(minimum), maximum_(maximum), doc_(doc) {}

  constexpr const char* name() const { return name_; }
  constexpr T default_value() const { return default_value_; }
  constexpr T minimum() const { return minimum_; }
  constexpr T maximum() const { return maximum_; }

  /// The same parameter with another lower bound, for a plugin that accepts more or
  /// less than the shared declaration says.
  constexpr ParameterDecl with_minimum(T minimum) const {
    return ParameterDecl(name_, default_value_, minimum, maximum_, doc_);
  }

  /// The spec for a description, with the declaration's doc or a plugin's own (which
  /// says what the value means for that plugin).
  v1::ParameterSpec spec() const { return spec(doc_); }
  v1::ParameterSpec spec(const std::string& doc) const {
    if constexpr (std::is_same_v<T, double>) {
      return double_param(name_, default_value_, minimum_, maximum_, doc);
    } else {
      return int_param(name_, default_value_, minimum_, maximum_, doc);
    }
  }

  /// The validated value of a step's parameters.
  T read(const Params& params) const {
    if constexpr (std::is_same_v<T, double>) {
      return params.get_double(name_);
    } else {
      return params.get_int(name_);
    }
  }

 private:
  const char* name_;
  T default_value_;
  T minimum_;
  T maximum_;
  const char* doc_;
};

/// The modularity resolution gamma of DOMAIN.md §2, one declaration for every step
/// that finds or scores regions by modularity: 1 = classic modularity, higher = more
/// and smaller regions; positive (1e-9 stands for "> 0") and at most 100.
inline constexpr ParameterDecl<double> kResolution{
    "resolution", 1.0, 1e-9, 100.0,
    "Modularity resolution gamma > 0: 1 = classic modularity, higher = more and smaller regions."};

}  // namespace bre
