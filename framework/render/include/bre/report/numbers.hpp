// Numbers for people, in the run's language: the decimal comma and thousands point in
// Dutch (1.234,5), the decimal point and thousands comma in English (1,234.5). A value
// is shown by its kind: a count as a whole number, a share as a percentage, any other
// value with as many decimals as its size needs. Missing values (NaN) show as a dash.
#pragma once

#include <string>

#include "bre/language.hpp"
#include "bre/v1/results.pb.h"

namespace bre::report {

/// `value` rounded to `decimals` places with the language's separators, thousands
/// grouped from 1.000 (nl) / 1,000 (en). No exponent, whatever the size.
std::string format_fixed(double value, int decimals, Language language);

/// A count or rank: a whole number ("93", "1.234").
std::string format_count(double value, Language language);

/// A share in [0, 1] as a percentage: no decimals from 10% up, one below
/// ("99%", "0,8%"), "0%" for zero.
std::string format_percent(double share, Language language);

/// Any other value: three significant digits for everyday sizes, whole numbers from
/// 1.000 up, as many decimals as a small value needs ("0,12", "12,3", "0,0079").
std::string format_decimal(double value, Language language);

/// A p-value: three decimals, "< 0,001" below that.
std::string format_p_value(double p, Language language);

/// How a column's values are shown: its `kind`; when the column does not say (written
/// before kinds existed, or by a plugin that leaves it out), read from its unit
/// ("count", "persons", "municipalities" = count; "share" = share).
v1::ValueKind value_kind(const v1::IndicatorColumn& column);

/// A value of `column` by its kind (not for categorical columns).
std::string format_value(const v1::IndicatorColumn& column, double value, Language language);

}  // namespace bre::report
