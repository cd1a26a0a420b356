// The survey of elected representatives (DOMAIN.md §7) from CSV or JSON files: the
// item map (which item measures which legitimacy dimension) and the respondents'
// answers, and adding both to a dataset.
#pragma once

#include <string>
#include <vector>

#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::import {

/// Parses the item map from CSV: header item_id, dimension, reverse_coded[, text].
/// dimension: fundamental, input, throughput, output_own_ambitions or
/// output_neighbours; reverse_coded: yes/no, true/false or 1/0 (blank = no).
/// Errors name `source_name`, the line and the column: missing or unknown columns, an
/// empty or repeated item id, an unknown dimension, a bad reverse_coded value.
Expected<std::vector<v1::SurveyItem>> parse_survey_items_csv(const std::string& text,
                                                             const std::string& source_name);

/// Parses the item map from JSON: an array of objects (or {"items": [...]}) with keys
/// item_id, dimension, reverse_coded (boolean) and text, checked as in the CSV reader.
Expected<std::vector<v1::SurveyItem>> parse_survey_items_json(const std::string& text,
                                                              const std::string& source_name);

/// Reads an item map file: JSON when the name ends in ".json", CSV otherwise.
Expected<std::vector<v1::SurveyItem>> read_survey_items(const std::string& path);

/// Parses respondents from CSV: header respondent_id, role, body_code, then one column
/// per item of `items` (each item exactly once, any order). role: municipal_council,
/// provincial_council or water_board. An answer is a Likert value 1-5; a blank cell is
/// missing (stored as 0). Each response records `source_name` and its line. Errors
/// name `source_name`, the line (row), the respondent and the column with what was
/// expected and found: anything but 1-5 or blank, an unknown role, an empty or
/// repeated respondent id, an empty body code, a column that is no item, an item
/// without a column, a row with another number of cells than the header.
/// O(size of the text).
Expected<std::vector<v1::SurveyResponse>> parse_survey_responses_csv(
    const std::string& text, const std::string& source_name, const std::vector<v1::SurveyItem>& items);

/// Reads a respondent CSV file (see parse_survey_responses_csv).
Expected<std::vector<v1::SurveyResponse>> read_survey_responses(const std::string& path,
                                                               const std::vector<v1::SurveyItem>& items);

/// Replaces the survey of `dataset` with `items` and `responses`, then validates the
/// dataset; on any problem (e.g. a body code the dataset does not know, named with its
/// file and line) `dataset` is left unchanged and the first problem is returned.
Status set_survey(v1::Dataset& dataset, std::vector<v1::SurveyItem> items,
                  std::vector<v1::SurveyResponse> responses);

/// Replaces the cases of `dataset` (see set_survey for the all-or-nothing contract).
Status set_cases(v1::Dataset& dataset, std::vector<v1::CaseDescriptors> cases);

}  // namespace bre::import
