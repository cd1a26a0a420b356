// Parameter validation: types, ranges, choices, unknown names, defaults.
#include <google/protobuf/struct.pb.h>
#include <gtest/gtest.h>

#include "bre/io.hpp"
#include "bre/params.hpp"

namespace {

std::vector<bre::v1::ParameterSpec> specs() {
  return {bre::double_param("resolution", 1.0, 0.0, 10.0, "modularity resolution"),
          bre::int_param("iterations", -1, -1, 100, "-1 = until stable"),
          bre::bool_param("contiguous", false, "split regions"),
          bre::string_param("weighting", "count", {"count", "fractional"}, "edge weights"),
          bre::string_list_param("kinds", {"cooperation"}, {"cooperation", "societal"}, "kinds", 1)};
}

google::protobuf::Struct params_json(const std::string& json) {
  google::protobuf::Struct s;
  EXPECT_TRUE(bre::from_json(json, "test", s).is_ok()) << json;
  return s;
}

TEST(Params, DefaultsFillUnsetValuesSortedByName) {
  auto p = bre::Params::resolve(params_json("{}"), specs());
  ASSERT_TRUE(p) << p.status().message();
  EXPECT_DOUBLE_EQ(p->get_double("resolution"), 1.0);
  EXPECT_EQ(p->get_int("iterations"), -1);
  EXPECT_EQ(p->get_string("weighting"), "count");
  EXPECT_EQ(p->get_string_list("kinds"), std::vector<std::string>{"cooperation"});
  EXPECT_FALSE(p->is_set("resolution"));
  ASSERT_EQ(p->resolved().size(), 5u);
  EXPECT_EQ(p->resolved().front().name(), "contiguous");
  EXPECT_EQ(p->resolved().back().name(), "weighting");
}

TEST(Params, GivenValuesAreTyped) {
  auto p = bre::Params::resolve(
      params_json(R"({"resolution": 2.5, "iterations": 3, "contiguous": true, "kinds": ["societal"]})"), specs());
  ASSERT_TRUE(p) << p.status().message();
  EXPECT_DOUBLE_EQ(p->get_double("resolution"), 2.5);
  EXPECT_EQ(p->get_int("iterations"), 3);
  EXPECT_TRUE(p->get_bool("contiguous"));
  EXPECT_TRUE(p->is_set("kinds"));
}

struct BadCase {
  const char* name;
  const char* json;
  const char* message;
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class ParamsRejects : public ::testing::TestWithParam<BadCase> {};

TEST_P(ParamsRejects, WithAMessageNamingTheParameter) {
  auto p = bre::Params::resolve(params_json(GetParam().json), specs());
  ASSERT_FALSE(p);
  EXPECT_EQ(p.status().code(), bre::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    BadInput, ParamsRejects,
    ::testing::Values(
        BadCase{"UnknownName", R"({"resolutoin": 1})",
                "unknown parameter 'resolutoin' (did you mean 'resolution'?); allowed: contiguous, iterations, kinds, resolution, weighting"},
        BadCase{"BelowRange", R"({"resolution": -1})", "parameter 'resolution': expected a number in [0, 10], found -1"},
        BadCase{"StringForNumber", R"({"resolution": "high"})", "parameter 'resolution': expected a number in [0, 10], found \"high\""},
        BadCase{"FractionForInt", R"({"iterations": 2.5})", "parameter 'iterations': expected an integer in [-1, 100], found 2.5"},
        BadCase{"AboveRange", R"({"iterations": 101})", "parameter 'iterations': expected an integer in [-1, 100], found 101"},
        BadCase{"NumberForBool", R"({"contiguous": 1})", "parameter 'contiguous': expected true or false, found 1"},
        BadCase{"NotAChoice", R"({"weighting": "weird"})", "parameter 'weighting': expected one of count, fractional, found \"weird\""},
        BadCase{"StringForList", R"({"kinds": "cooperation"})",
                "parameter 'kinds': expected a list of at least 1 string(s) from cooperation, societal, found \"cooperation\""},
        BadCase{"EmptyList", R"({"kinds": []})",
                "parameter 'kinds': expected a list of at least 1 string(s) from cooperation, societal, found 0 element(s)"},
        BadCase{"ListElementNotAChoice", R"({"kinds": ["cooperation", "state"]})",
                "parameter 'kinds': expected a list of at least 1 string(s) from cooperation, societal, found element 1 = \"state\""}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Params, AccessorMisuseIsAPluginBug) {
  auto p = bre::Params::resolve(params_json("{}"), specs());
  ASSERT_TRUE(p);
  EXPECT_THROW(p->get_double("nope"), std::logic_error);
  EXPECT_THROW(p->get_int("resolution"), std::logic_error);
}

TEST(Params, CheckParameterValueGuardsDefaults) {
  const auto spec = bre::double_param("resolution", 1.0, 0.0, 10.0, "");
  bre::v1::ParameterValue value;
  value.set_double_value(20.0);
  EXPECT_EQ(bre::check_parameter_value(spec, value).message(),
            "parameter 'resolution': expected a number in [0, 10], found 20");
  value.set_string_value("1");
  EXPECT_FALSE(bre::check_parameter_value(spec, value).is_ok());
  value.set_double_value(3.0);
  EXPECT_TRUE(bre::check_parameter_value(spec, value).is_ok());
}

}  // namespace
