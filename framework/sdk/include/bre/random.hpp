// A small, portable random number generator. Standard-library distributions differ
// between implementations; bre's seeded results must not, so plugins and the demo
// generator draw from this instead.
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

#include "bre/export.hpp"

namespace bre BRE_SDK_API {

/// SplitMix64 (Steele, Lea & Flood 2014): one 64-bit state, full period, passes
/// BigCrush as a generator of seeds and of values for this project's needs.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Uniform integer in [0, n), n > 0 (Lemire's multiply-shift, bias < 2^-64 * n).
  std::uint64_t below(std::uint64_t n) {
    __extension__ using Wide = unsigned __int128;  // GCC/Clang extension; -Wpedantic knows
    return static_cast<std::uint64_t>((static_cast<Wide>(next()) * n) >> 64);
  }
  /// Standard normal by Box-Muller (one value per call; no cached state).
  double normal() {
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  std::uint64_t state_;
};

/// Mixes a seed with a label (FNV-1a of the label, then SplitMix64), so each step or
/// ensemble member gets its own stream from one run seed.
inline std::uint64_t derive_seed(std::uint64_t seed, std::string_view label) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : label) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  SplitMix64 mix(seed ^ h);
  return mix.next();
}

/// Same, for an integer label (an ensemble member index).
inline std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t index) {
  SplitMix64 mix(seed ^ (index * 0xd1342543de82ef95ULL + 0x632be59bd9b4e019ULL));
  return mix.next();
}

}  // namespace bre
