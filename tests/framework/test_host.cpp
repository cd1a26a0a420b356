// The plugin host: the five built-in kinds load; bad libraries are reported and
// skipped, never fatal.
#include <gtest/gtest.h>

#include <set>

#include "bre/host.hpp"

namespace {

const std::string kBad = BRE_TEST_BAD_PLUGIN_DIR;

std::string only_error(const bre::PluginHost& host) {
  EXPECT_EQ(host.errors().size(), 1u);
  return host.errors().empty() ? "" : host.errors().front().reason;
}

TEST(PluginHost, LoadsOneBuiltinPluginOfEachKind) {
  bre::PluginHost host;
  ASSERT_TRUE(host.load_directory(BRE_TEST_PLUGIN_DIR, "built-in").is_ok());
  EXPECT_TRUE(host.errors().empty()) << host.errors().front().path << ": " << host.errors().front().reason;
  std::set<int> kinds;
  for (const auto* p : host.plugins()) {
    kinds.insert(p->description.kind());
    EXPECT_EQ(p->origin, "built-in");
    EXPECT_EQ(p->description.api_version(), bre::api_version_string());
    EXPECT_FALSE(p->description.summary().empty()) << p->description.name();
    EXPECT_TRUE(bre::validate_description(p->description).is_ok());
  }
  EXPECT_EQ(kinds.size(), 7u);  // every PluginKind but UNSPECIFIED, report and analysis included
  for (const char* name : {"clustering.igraph_leiden", "region.provinces", "indicator.congruence",
                           "legitimacy.scale_scores", "lifecycle.stage_rules", "analysis.variation"}) {
    EXPECT_NE(host.find(name), nullptr) << name;
  }
}

TEST(PluginHost, NonPluginLibrariesAreSkippedWithTheReason) {
  bre::PluginHost host;
  ASSERT_TRUE(host.load_directory(kBad + "/not_plugins", "--plugin-dir").is_ok());
  ASSERT_EQ(host.errors().size(), 2u);
  EXPECT_NE(host.errors()[0].path.find("garbage.so"), std::string::npos);
  EXPECT_NE(host.errors()[0].reason.find("cannot be loaded"), std::string::npos);
  EXPECT_NE(host.errors()[1].path.find("test_not_a_plugin.so"), std::string::npos);
  EXPECT_NE(host.errors()[1].reason.find("not a bre plugin"), std::string::npos);
  EXPECT_TRUE(host.plugins().empty());
}

TEST(PluginHost, OtherMajorApiVersionIsRefused) {
  bre::PluginHost host;
  ASSERT_TRUE(host.load_directory(kBad + "/wrong_major", "--plugin-dir").is_ok());
  EXPECT_EQ(only_error(host), "built against plugin API 1.3, the host has API 2.0 (major versions differ)");
  EXPECT_EQ(host.find("test.wrong_version"), nullptr);
}

TEST(PluginHost, NewerMinorApiVersionIsRefused) {
  bre::PluginHost host;
  ASSERT_TRUE(host.load_directory(kBad + "/newer_minor", "--plugin-dir").is_ok());
  EXPECT_EQ(only_error(host), "built against plugin API 2.99, newer than the host's 2.0");
}

TEST(PluginHost, ThrowingConstructorIsReported) {
  bre::PluginHost host;
  ASSERT_TRUE(host.load_directory(kBad + "/throwing", "--plugin-dir").is_ok());
  EXPECT_EQ(only_error(host), "threw while loading: constructor failed on purpose");
}

TEST(PluginHost, DuplicateNameIsRefusedAndTheFirstKept) {
  bre::PluginHost host;
  ASSERT_TRUE(host.load_directory(BRE_TEST_PLUGIN_DIR, "built-in").is_ok());
  ASSERT_TRUE(host.load_directory(kBad + "/duplicate", "--plugin-dir").is_ok());
  const std::string reason = only_error(host);
  EXPECT_NE(reason.find("duplicate plugin name 'region.provinces', already loaded from"), std::string::npos) << reason;
  EXPECT_EQ(host.find("region.provinces")->origin, "built-in");
}

TEST(PluginHost, InvalidDescriptionIsRefused) {
  bre::PluginHost host;
  ASSERT_TRUE(host.load_directory(kBad + "/bad_description", "--plugin-dir").is_ok());
  const std::string reason = only_error(host);
  EXPECT_NE(reason.find("parameter 'resolution'"), std::string::npos) << reason;
}

TEST(PluginHost, MissingDirectoryIsAnError) {
  bre::PluginHost host;
  auto status = host.load_directory("/nonexistent/plugins", "--plugin-dir");
  EXPECT_EQ(status.code(), bre::StatusCode::kNotFound);
  EXPECT_NE(status.message().find("/nonexistent/plugins"), std::string::npos);
}

TEST(PluginHost, BuiltinDirectoryIsFoundNextToLibbre) {
  EXPECT_EQ(bre::builtin_plugin_directory(), std::string(BRE_TEST_PLUGIN_DIR));
}

TEST(PluginHost, ValidateDescriptionChecksNames) {
  bre::v1::PluginDescription d;
  d.set_name("Clustering.Leiden");
  d.set_kind(bre::v1::PLUGIN_KIND_CLUSTERING);
  d.set_version("1");
  d.add_produces(bre::v1::ARTIFACT_KIND_PARTITION);
  EXPECT_FALSE(bre::validate_description(d).is_ok());
  d.set_name("clustering.leiden");
  EXPECT_TRUE(bre::validate_description(d).is_ok());
  d.set_kind(bre::v1::PLUGIN_KIND_UNSPECIFIED);
  EXPECT_FALSE(bre::validate_description(d).is_ok());
}

}  // namespace
