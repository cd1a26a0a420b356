#include "random_intercept.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <utility>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/minima.hpp>

namespace bre::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Grid over log lambda before the Brent refinement: lambda from e^-20 (no region
// effect to speak of) to e^12 (regions explain all but a trace).
constexpr double kLogLambdaLow = -20.0;
constexpr double kLogLambdaHigh = 12.0;
constexpr int kGridPoints = 129;
// Past this variance ratio the ICC is 1 to twelve digits: the interval is open above.
constexpr double kLambdaCeiling = 1e12;

// A symmetric positive-definite p x p matrix (row-major) and its Cholesky factor.
struct Cholesky {
  std::size_t p = 0;
  std::vector<double> l;  // lower triangle, row-major
  bool ok = false;
  std::size_t failed_column = 0;

  Cholesky(const std::vector<double>& a, std::size_t size) : p(size), l(size * size, 0.0) {
    for (std::size_t j = 0; j < p; ++j) {
      double d = a[j * p + j];
      for (std::size_t k = 0; k < j; ++k) d -= l[j * p + k] * l[j * p + k];
      // Relative pivot test: a column that is (nearly) a combination of the earlier ones.
      if (!(d > 1e-10 * std::max(a[j * p + j], 1e-300))) {
        failed_column = j;
        return;
      }
      l[j * p + j] = std::sqrt(d);
      for (std::size_t i = j + 1; i < p; ++i) {
        double s = a[i * p + j];
        for (std::size_t k = 0; k < j; ++k) s -= l[i * p + k] * l[j * p + k];
        l[i * p + j] = s / l[j * p + j];
      }
    }
    ok = true;
  }
  double log_det() const {
    double s = 0.0;
    for (std::size_t j = 0; j < p; ++j) s += 2.0 * std::log(l[j * p + j]);
    return s;
  }
  std::vector<double> solve(std::vector<double> b) const {
    for (std::size_t i = 0; i < p; ++i) {
      for (std::size_t k = 0; k < i; ++k) b[i] -= l[i * p + k] * b[k];
      b[i] /= l[i * p + i];
    }
    for (std::size_t i = p; i-- > 0;) {
      for (std::size_t k = i + 1; k < p; ++k) b[i] -= l[k * p + i] * b[k];
      b[i] /= l[i * p + i];
    }
    return b;
  }
};

// Sufficient statistics of the centred data: per group n_j, sum of the rows of X
// and of y; overall X'X, X'y, y'y. Every likelihood evaluation is then O(G p²).
class ProfileLikelihood {
 public:
  ProfileLikelihood(std::vector<std::vector<double>> columns, std::vector<double> y, const std::vector<int>& group,
                    int group_count)
      : p_(columns.size()), n_(y.size()), sizes_(static_cast<std::size_t>(group_count), 0),
        group_x_(static_cast<std::size_t>(group_count) * columns.size(), 0.0),
        group_y_(static_cast<std::size_t>(group_count), 0.0), xtx_(p_ * p_, 0.0), xty_(p_, 0.0) {
    for (std::size_t i = 0; i < n_; ++i) {
      const auto g = static_cast<std::size_t>(group[i]);
      ++sizes_[g];
      group_y_[g] += y[i];
      yty_ += y[i] * y[i];
      for (std::size_t a = 0; a < p_; ++a) {
        group_x_[g * p_ + a] += columns[a][i];
        xty_[a] += columns[a][i] * y[i];
        for (std::size_t b = 0; b < p_; ++b) xtx_[a * p_ + b] += columns[a][i] * columns[b][i];
      }
    }
  }

  struct Point {
    double log_likelihood = kNaN;
    double sigma2 = kNaN;
    std::vector<double> beta;
    std::vector<double> covariance;  // (X' V_rel^-1 X)^-1, to scale by sigma²
  };

  // The REML log-likelihood at variance ratio lambda, beta and sigma² profiled out.
  Point at(double lambda, bool with_covariance = false) const {
    Point point;
    const std::optional<Gls> gls = solve(lambda);
    if (!gls) return point;
    point.beta = gls->beta;
    const double dof = static_cast<double>(n_ - p_);
    point.sigma2 = gls->q / dof;
    point.log_likelihood =
        -0.5 * (dof * std::log(2.0 * std::numbers::pi * point.sigma2) + gls->log_det_v + gls->chol.log_det() + dof);
    if (with_covariance) {
      point.covariance.assign(p_ * p_, 0.0);
      for (std::size_t j = 0; j < p_; ++j) {
        std::vector<double> e(p_, 0.0);
        e[j] = 1.0;
        const auto column = gls->chol.solve(std::move(e));
        for (std::size_t i = 0; i < p_; ++i) point.covariance[i * p_ + j] = column[i];
      }
    }
    return point;
  }

  // d l / d lambda. With d_j = 1 / (1 + n_j lambda)², s_j the sum of group j's GLS
  // residuals and x_j the sum of its rows of X (envelope theorem for beta):
  //   dl/dlambda = -1/2 [ -(n - p) sum_j d_j s_j² / q + sum_j n_j / (1 + n_j lambda)
  //                       - sum_j d_j x_j' A^-1 x_j ].
  // Where the likelihood is flat its values fix lambda only to a few digits; the root
  // of the score fixes it to the last ones.
  double score(double lambda) const {
    const std::optional<Gls> gls = solve(lambda);
    if (!gls) return kNaN;
    double residual_term = 0.0, size_term = 0.0, trace_term = 0.0;
    for (std::size_t g = 0; g < sizes_.size(); ++g) {
      if (sizes_[g] == 0) continue;
      const double n = static_cast<double>(sizes_[g]);
      const double d = 1.0 / ((1.0 + n * lambda) * (1.0 + n * lambda));
      const std::vector<double> sx(group_x_.begin() + static_cast<std::ptrdiff_t>(g * p_),
                                   group_x_.begin() + static_cast<std::ptrdiff_t>((g + 1) * p_));
      double residual = group_y_[g];
      for (std::size_t i = 0; i < p_; ++i) residual -= sx[i] * gls->beta[i];
      const std::vector<double> solved = gls->chol.solve(sx);
      double quadratic = 0.0;
      for (std::size_t i = 0; i < p_; ++i) quadratic += sx[i] * solved[i];
      residual_term += d * residual * residual;
      size_term += n / (1.0 + n * lambda);
      trace_term += d * quadratic;
    }
    return -0.5 * (-static_cast<double>(n_ - p_) * residual_term / gls->q + size_term - trace_term);
  }

  double value(double lambda) const {
    const double l = at(lambda).log_likelihood;
    return std::isnan(l) ? -std::numeric_limits<double>::infinity() : l;
  }

 private:
  // The GLS fit at lambda: A = X' V_rel^-1 X (factored), beta, the residual quadratic
  // form q and log|V_rel|; none when A is singular or q is not positive.
  struct Gls {
    Cholesky chol;
    std::vector<double> beta;
    double q;
    double log_det_v;
  };
  std::optional<Gls> solve(double lambda) const {
    std::vector<double> a = xtx_, b = xty_;
    double q = yty_;
    double log_det_v = 0.0;
    for (std::size_t g = 0; g < sizes_.size(); ++g) {
      if (sizes_[g] == 0) continue;
      const double n = static_cast<double>(sizes_[g]);
      const double c = lambda / (1.0 + n * lambda);
      log_det_v += std::log1p(n * lambda);
      const double* sx = &group_x_[g * p_];
      for (std::size_t i = 0; i < p_; ++i) {
        b[i] -= c * sx[i] * group_y_[g];
        for (std::size_t j = 0; j < p_; ++j) a[i * p_ + j] -= c * sx[i] * sx[j];
      }
      q -= c * group_y_[g] * group_y_[g];
    }
    Cholesky chol(a, p_);
    if (!chol.ok) return std::nullopt;
    std::vector<double> beta = chol.solve(b);
    for (std::size_t i = 0; i < p_; ++i) q -= b[i] * beta[i];
    if (!(q > 0.0)) return std::nullopt;
    return Gls{std::move(chol), std::move(beta), q, log_det_v};
  }

  std::size_t p_, n_;
  std::vector<int> sizes_;
  std::vector<double> group_x_, group_y_, xtx_, xty_;
  double yty_ = 0.0;
};

// The lambda in [lo, hi] where f crosses `target`, f(lo) and f(hi) on either side.
template <class F>
double bisect(const F& f, double target, double lo, double hi) {
  const bool rising = f(lo) < target;
  for (int i = 0; i < 200 && hi - lo > 1e-14 * std::max(1.0, hi); ++i) {
    const double mid = 0.5 * (lo + hi);
    if ((f(mid) < target) == rising) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

// The root of the score near Brent's estimate, bracketed within a relative 1e-4 .. 1e-1
// of it and bisected; Brent's estimate when no sign change is found there.
double polish_at_score_root(const ProfileLikelihood& likelihood, double lambda) {
  for (double width = 1e-4; width <= 0.1; width *= 10.0) {
    double lo = lambda * (1.0 - width), hi = lambda * (1.0 + width);
    if (!(likelihood.score(lo) > 0.0 && likelihood.score(hi) < 0.0)) continue;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i) {
      const double mid = 0.5 * (lo + hi);
      (likelihood.score(mid) > 0.0 ? lo : hi) = mid;
    }
    const double root = 0.5 * (lo + hi);
    return likelihood.value(root) >= likelihood.value(lambda) - 1e-9 ? root : lambda;
  }
  return lambda;
}

Status check_input(const GroupedData& data) {
  const std::size_t n = data.y.size();
  if (data.group.size() != n) {
    return invalid_argument("random-intercept model: " + std::to_string(data.group.size()) + " group indices for " +
                            std::to_string(n) + " outcome values; expected one per value");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(data.y[i])) {
      return invalid_argument("random-intercept model: outcome value " + std::to_string(i) +
                              " is not a finite number");
    }
    if (data.group[i] < 0 || data.group[i] >= data.group_count) {
      return invalid_argument("random-intercept model: unit " + std::to_string(i) + " has group " +
                              std::to_string(data.group[i]) + "; expected 0 .. " +
                              std::to_string(data.group_count - 1));
    }
  }
  for (std::size_t k = 0; k < data.covariates.size(); ++k) {
    if (data.covariates[k].size() != n) {
      return invalid_argument("random-intercept model: covariate " + std::to_string(k + 1) + " has " +
                              std::to_string(data.covariates[k].size()) + " values; expected " + std::to_string(n));
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(data.covariates[k][i])) {
        return invalid_argument("random-intercept model: covariate " + std::to_string(k + 1) + " of unit " +
                                std::to_string(i) + " is not a finite number");
      }
    }
  }
  return Status::ok();
}

}  // namespace

Expected<RandomInterceptFit> fit_random_intercept(const GroupedData& data, const RandomInterceptOptions& options) {
  if (Status status = check_input(data); !status.is_ok()) return status;
  if (!(options.confidence >= 0.5 && options.confidence <= 0.999)) {
    return invalid_argument("random-intercept model: confidence " + std::to_string(options.confidence) +
                            "; expected 0.5 .. 0.999");
  }
  const std::size_t n = data.y.size();
  const std::size_t p = data.covariates.size() + 1;
  RandomInterceptFit fit;
  fit.n_units = static_cast<int>(n);
  fit.group_size.assign(static_cast<std::size_t>(data.group_count), 0);
  std::vector<double> group_sum(static_cast<std::size_t>(data.group_count), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    ++fit.group_size[static_cast<std::size_t>(data.group[i])];
    group_sum[static_cast<std::size_t>(data.group[i])] += data.y[i];
  }
  fit.group_mean.assign(group_sum.size(), kNaN);
  for (std::size_t g = 0; g < group_sum.size(); ++g) {
    if (fit.group_size[g] > 0) {
      fit.group_mean[g] = group_sum[g] / fit.group_size[g];
      ++fit.n_groups;
    }
  }
  if (fit.n_groups < 2) {
    return invalid_argument("random-intercept model: " + std::to_string(fit.n_groups) +
                            " region(s) with units; at least 2 are needed to estimate variance between regions");
  }
  if (n <= static_cast<std::size_t>(fit.n_groups)) {
    return invalid_argument("random-intercept model: " + std::to_string(n) + " units in " +
                            std::to_string(fit.n_groups) +
                            " regions; every region has one unit at most, so variance within and between regions "
                            "cannot be told apart");
  }
  if (p >= static_cast<std::size_t>(fit.n_groups)) {
    return invalid_argument("random-intercept model: " + std::to_string(p - 1) +
                            " covariate(s) and the intercept need more than " + std::to_string(p) +
                            " regions; found " + std::to_string(fit.n_groups));
  }

  // Centre y and the covariates: the likelihood and slopes are unchanged, the sums of
  // squares lose less to cancellation; the intercept is mapped back at the end.
  double y_mean = 0.0;
  for (double v : data.y) y_mean += v;
  y_mean /= static_cast<double>(n);
  std::vector<double> y(n);
  double total_ss = 0.0, within_ss = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = data.y[i] - y_mean;
    total_ss += y[i] * y[i];
    const double d = data.y[i] - fit.group_mean[static_cast<std::size_t>(data.group[i])];
    within_ss += d * d;
  }
  const double scale = std::max(1.0, y_mean * y_mean) * static_cast<double>(n);
  if (total_ss <= 1e-24 * scale) {
    return invalid_argument("random-intercept model: the outcome has no variance (every unit has the value " +
                            std::to_string(data.y[0]) + ")");
  }
  if (within_ss <= 1e-24 * scale) {
    return invalid_argument("random-intercept model: no variance within regions (every region's units share one "
                            "value), so the share between regions is not estimable");
  }
  std::vector<std::vector<double>> columns;
  columns.push_back(std::vector<double>(n, 1.0));
  std::vector<double> covariate_mean;
  for (const auto& covariate : data.covariates) {
    double mean = 0.0;
    for (double v : covariate) mean += v;
    mean /= static_cast<double>(n);
    covariate_mean.push_back(mean);
    std::vector<double> centred(n);
    for (std::size_t i = 0; i < n; ++i) centred[i] = covariate[i] - mean;
    columns.push_back(std::move(centred));
  }
  // Constant or collinear covariates make X'X singular at any lambda.
  {
    std::vector<double> xtx(p * p, 0.0);
    for (std::size_t a = 0; a < p; ++a) {
      for (std::size_t b = 0; b < p; ++b) {
        for (std::size_t i = 0; i < n; ++i) xtx[a * p + b] += columns[a][i] * columns[b][i];
      }
    }
    const Cholesky chol(xtx, p);
    if (!chol.ok) {
      return invalid_argument("random-intercept model: covariate " + std::to_string(chol.failed_column) +
                              " is constant or a combination of the intercept and the covariates before it");
    }
  }

  const ProfileLikelihood likelihood(std::move(columns), std::move(y), data.group, data.group_count);
  auto objective = [&](double log_lambda) { return -likelihood.value(std::exp(log_lambda)); };
  int best = 0;
  double best_value = std::numeric_limits<double>::infinity();
  const double step = (kLogLambdaHigh - kLogLambdaLow) / (kGridPoints - 1);
  for (int k = 0; k < kGridPoints; ++k) {
    const double v = objective(kLogLambdaLow + step * k);
    if (v < best_value) {
      best_value = v;
      best = k;
    }
  }
  const double lo = kLogLambdaLow + step * std::max(best - 1, 0);
  const double hi = kLogLambdaLow + step * std::min(best + 1, kGridPoints - 1);
  const auto minimum = boost::math::tools::brent_find_minima(objective, lo, hi, std::numeric_limits<double>::digits);
  double lambda = std::exp(minimum.first);
  const double at_zero = likelihood.value(0.0);
  if (at_zero >= -minimum.second) {
    lambda = 0.0;
  } else {
    lambda = polish_at_score_root(likelihood, lambda);
  }

  const ProfileLikelihood::Point point = likelihood.at(lambda, true);
  if (std::isnan(point.log_likelihood)) {
    return invalid_argument("random-intercept model: the likelihood could not be evaluated at the estimate");
  }
  fit.within_variance = point.sigma2;
  fit.between_variance = lambda * point.sigma2;
  fit.icc = lambda / (1.0 + lambda);
  fit.log_likelihood = point.log_likelihood;
  fit.null_log_likelihood = at_zero;
  fit.lrt_statistic = std::max(0.0, 2.0 * (fit.log_likelihood - at_zero));
  fit.lrt_p = fit.lrt_statistic > 0.0
                  ? 0.5 * boost::math::cdf(boost::math::complement(boost::math::chi_squared(1.0), fit.lrt_statistic))
                  : 1.0;

  // Profile-likelihood interval of lambda, mapped to the ICC.
  const double critical = boost::math::quantile(boost::math::chi_squared(1.0), options.confidence);
  const double target = fit.log_likelihood - 0.5 * critical;
  auto l_of = [&](double value) { return likelihood.value(value); };
  double lambda_low = 0.0;
  if (lambda > 0.0 && at_zero < target) lambda_low = bisect(l_of, target, 0.0, lambda);
  double upper_from = std::max(lambda, 1e-8);
  double upper_to = 2.0 * upper_from;
  while (l_of(upper_to) >= target && upper_to < kLambdaCeiling) {
    upper_from = upper_to;
    upper_to *= 4.0;
  }
  double lambda_high = kLambdaCeiling;
  if (upper_to < kLambdaCeiling) {
    lambda_high = bisect(l_of, target, upper_from, upper_to);
  } else {
    fit.icc_high_unbounded = true;
  }
  fit.icc_low = lambda_low / (1.0 + lambda_low);
  fit.icc_high = fit.icc_high_unbounded ? 1.0 : lambda_high / (1.0 + lambda_high);

  // Fixed effects on the original scale: the intercept absorbs the centring.
  fit.beta = point.beta;
  fit.beta[0] += y_mean;
  for (std::size_t k = 1; k < p; ++k) fit.beta[0] -= covariate_mean[k - 1] * point.beta[k];
  std::vector<double> gradient(p, 0.0);  // d intercept / d centred coefficients
  gradient[0] = 1.0;
  for (std::size_t k = 1; k < p; ++k) gradient[k] = -covariate_mean[k - 1];
  fit.beta_se.assign(p, 0.0);
  double intercept_variance = 0.0;
  for (std::size_t a = 0; a < p; ++a) {
    for (std::size_t b = 0; b < p; ++b) intercept_variance += gradient[a] * point.covariance[a * p + b] * gradient[b];
  }
  fit.beta_se[0] = std::sqrt(point.sigma2 * intercept_variance);
  for (std::size_t k = 1; k < p; ++k) fit.beta_se[k] = std::sqrt(point.sigma2 * point.covariance[k * p + k]);

  // BLUPs from the residuals on the original scale.
  std::vector<double> residual_sum(group_sum.size(), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double fitted = fit.beta[0];
    for (std::size_t k = 1; k < p; ++k) fitted += fit.beta[k] * data.covariates[k - 1][i];
    residual_sum[static_cast<std::size_t>(data.group[i])] += data.y[i] - fitted;
  }
  const double z = boost::math::quantile(boost::math::normal(), 0.5 + 0.5 * options.confidence);
  const double tau2 = fit.between_variance, sigma2 = fit.within_variance;
  for (std::size_t g = 0; g < group_sum.size(); ++g) {
    const double n_g = fit.group_size[g];
    const double effect = tau2 * residual_sum[g] / (sigma2 + n_g * tau2);
    const double sd = std::sqrt(tau2 * sigma2 / (sigma2 + n_g * tau2));
    fit.group_effect.push_back(effect);
    fit.group_effect_sd.push_back(sd);
    fit.group_effect_low.push_back(effect - z * sd);
    fit.group_effect_high.push_back(effect + z * sd);
  }
  return fit;
}

}  // namespace bre::analysis
