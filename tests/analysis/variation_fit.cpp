// Fits the random-intercept model of random_intercept.hpp to a CSV file and prints the
// fit as JSON, for variation_statsmodels.py to compare with statsmodels' MixedLM.
// Input: a header line, then rows "group,y[,x1,...]" (group 0-based). Also runs the
// permutation tests of association.hpp on rows "x,y" with --spearman or
// --mean-difference.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "association.hpp"
#include "random_intercept.hpp"

namespace {

std::vector<std::vector<double>> read_rows(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<double> row;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) row.push_back(std::stod(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string number(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

std::string list(const std::vector<double>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + number(values[i]);
  return out + "]";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: variation_fit --model|--spearman|--mean-difference FILE.csv\n";
    return 2;
  }
  const std::string mode = argv[1];
  const auto rows = read_rows(argv[2]);
  if (mode == "--spearman" || mode == "--mean-difference") {
    std::vector<double> x, y;
    for (const auto& row : rows) {
      x.push_back(row.at(0));
      y.push_back(row.at(1));
    }
    const auto result = mode == "--spearman" ? bre::analysis::spearman_association(x, y, {})
                                             : bre::analysis::mean_difference_association(x, y, {});
    if (!result) {
      std::cerr << result.status().message() << "\n";
      return 1;
    }
    std::cout << "{\"effect\": " << number(result->effect) << ", \"p\": " << number(result->p)
              << ", \"permutations\": " << result->permutations << "}\n";
    return 0;
  }
  bre::analysis::GroupedData data;
  for (const auto& row : rows) {
    const int g = static_cast<int>(row.at(0));
    data.group.push_back(g);
    data.group_count = std::max(data.group_count, g + 1);
    data.y.push_back(row.at(1));
    if (data.covariates.size() < row.size() - 2) data.covariates.resize(row.size() - 2);
    for (std::size_t k = 2; k < row.size(); ++k) data.covariates[k - 2].push_back(row[k]);
  }
  const auto fit = bre::analysis::fit_random_intercept(data, {});
  if (!fit) {
    std::cerr << fit.status().message() << "\n";
    return 1;
  }
  std::cout << "{\"between_variance\": " << number(fit->between_variance)
            << ", \"within_variance\": " << number(fit->within_variance) << ", \"icc\": " << number(fit->icc)
            << ", \"icc_low\": " << number(fit->icc_low) << ", \"icc_high\": " << number(fit->icc_high)
            << ", \"log_likelihood\": " << number(fit->log_likelihood)
            << ", \"null_log_likelihood\": " << number(fit->null_log_likelihood)
            << ", \"lrt_p\": " << number(fit->lrt_p) << ", \"beta\": " << list(fit->beta)
            << ", \"beta_se\": " << list(fit->beta_se) << ", \"group_effect\": " << list(fit->group_effect)
            << ", \"group_effect_sd\": " << list(fit->group_effect_sd) << "}\n";
  return 0;
}
