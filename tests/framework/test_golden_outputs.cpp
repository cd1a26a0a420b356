// The standard pipeline's files on the demo dataset (default seed), checked against
// digests kept in tests/golden/: a change of layout or of code that should not change
// a result proves that it did not. When a result is meant to change, rerun
//   build/bin/bre run examples/pipelines/standard.json --out OUT
//   (cd OUT && sha256sum $(cat .bre-outputs)) > tests/golden/standard.sha256
// and say in the commit why the results changed.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <string>

#include "test_support.hpp"

namespace bre::test {
namespace {

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  std::ostringstream hex;
  for (unsigned int i = 0; i < length; ++i) hex << std::hex << std::setw(2) << std::setfill('0') << int{digest[i]};
  return hex.str();
}

// "digest  name" lines, as sha256sum writes them.
std::map<std::string, std::string> read_digests(const std::string& path) {
  std::map<std::string, std::string> digests;
  std::istringstream lines(read_text(path));
  std::string digest, name;
  while (lines >> digest >> name) digests[name] = digest;
  return digests;
}

TEST(GoldenOutputs, TheStandardPipelineOnTheDemoGivesTheRecordedBytes) {
  const auto expected = read_digests(std::string(BRE_SOURCE_DIR) + "/tests/golden/standard.sha256");
  ASSERT_GT(expected.size(), 30u) << "tests/golden/standard.sha256 lists too few files";
  TempDir dir;
  const auto run = run_bre({"run", std::string(BRE_SOURCE_DIR) + "/examples/pipelines/standard.json", "--out",
                            dir.file("out"), "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::map<std::string, std::string> found;
  std::istringstream listing(read_text(dir.file("out/.bre-outputs")));
  for (std::string name; std::getline(listing, name);) found[name] = sha256_hex(read_text(dir.file("out/" + name)));
  for (const auto& [name, digest] : expected) {
    ASSERT_TRUE(found.count(name)) << name << " is no longer written";
    EXPECT_EQ(found[name], digest) << name << " changed";
  }
  for (const auto& [name, digest] : found) EXPECT_TRUE(expected.count(name)) << name << " is new: record its digest";
}

}  // namespace
}  // namespace bre::test
