// The report's interactive layer on a hand-made run: the data island stays valid JSON
// and cannot end its <script> element early whatever the names hold (quotes,
// "</script>", bytes that are not UTF-8); the Content-Security-Policy admits exactly the
// page's one inline script by its hash; a run without network or confidence just has
// less in the island; the page is deterministic. The first test also writes the page to
// $BRE_HOSTILE_REPORT when set, for the browser test to open.
#include <openssl/evp.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "bre/demo.hpp"
#include "bre/io.hpp"
#include "bre/map/svg_map.hpp"
#include "bre/partition.hpp"
#include "bre/report/html_report.hpp"

namespace bre::test {
namespace {

const std::string kHostile = "Quote\"s & <b>tags</b></script><script>alert(1)</script>\xff\xfe\xc3(\xe2\x80\xa8 end";

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

std::string base64_sha256(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  std::string out(4 * ((length + 2) / 3) + 1, '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), digest, static_cast<int>(length));
  out.resize(out.find('\0'));
  return out;
}

// The demo with a hostile first municipality name and region name, its planted regions
// as the only partition, drawn as one map.
struct HostileRun {
  v1::Dataset dataset = demo::generate();
  v1::RunResult run;

  HostileRun() {
    dataset.mutable_municipalities(0)->set_name(kHostile);
    const DatasetIndex index(dataset);
    auto* step = run.add_steps();
    step->set_step_id("planted");
    step->set_status(v1::STEP_STATUS_SUCCEEDED);
    for (const auto& definition : dataset.region_definitions()) {
      if (definition.name() != demo::kPlantedDefinition) continue;
      auto partition = partition_from_definition(index, definition);
      EXPECT_TRUE(partition.has_value());
      partition->set_name("planted");
      partition->mutable_regions(0)->set_name(kHostile);
      *step->mutable_artifacts()->add_partitions() = *partition;
    }
    auto* map_step = run.add_steps();
    map_step->set_step_id("planted_map");
    map_step->set_status(v1::STEP_STATUS_SUCCEEDED);
    map::PartitionMapOptions options;
    options.title = "Planted";
    auto svg = map::render_partition_map(index, step->artifacts().partitions(0), options);
    EXPECT_TRUE(svg.has_value());
    auto* document = map_step->mutable_artifacts()->add_documents();
    document->set_name("partition.svg");
    document->set_media_type("image/svg+xml");
    document->set_content(*svg);
    auto* manifest = run.mutable_manifest();
    manifest->set_dataset_name("demo");
    manifest->set_seed(7);
    manifest->mutable_pipeline()->set_name(kHostile);
    auto* spec = manifest->mutable_pipeline()->add_steps();
    spec->set_id("planted_map");
    spec->set_plugin("report.partition_map");
    spec->add_inputs("planted");
  }

  std::string render() const {
    const DatasetIndex index(dataset);
    auto html = report::render_html_report(run, index, {});
    EXPECT_TRUE(html.has_value()) << html.status().message();
    return html.has_value() ? *html : std::string();
  }
};

TEST(ReportExplore, HostileNamesCannotBreakTheDataIslandOrThePage) {
  const HostileRun hostile;
  const std::string html = hostile.render();
  // Two script elements: the island and the script; no name can add or end one.
  EXPECT_EQ(count(html, "<script"), 2u);
  EXPECT_EQ(count(html, "</script>"), 2u);
  const std::string open = "<script type=\"application/json\" id=\"bre-data\">";
  const auto begin = html.find(open);
  ASSERT_NE(begin, std::string::npos);
  const auto end = html.find("</script>", begin);
  const std::string island = html.substr(begin + open.size(), end - begin - open.size());
  EXPECT_EQ(island.find("</"), std::string::npos);
  EXPECT_EQ(island.find('<'), std::string::npos);
  EXPECT_TRUE(check_json_syntax(island, "island").is_ok()) << check_json_syntax(island, "island").message();
  // The name is in the island with its characters escaped, invalid bytes as U+FFFD.
  EXPECT_NE(island.find(R"(Quote\"s \u0026 \u003cb\u003etags\u003c/b\u003e\u003c/script\u003e)"), std::string::npos);
  EXPECT_NE(island.find(R"(\ufffd\ufffd\ufffd(\u2028 end)"), std::string::npos);
  // In HTML the name is escaped as text.
  EXPECT_NE(html.find("Quote&quot;s &amp; &lt;b&gt;tags"), std::string::npos);
  EXPECT_EQ(html.find("<b>tags</b>"), std::string::npos);
  // No network, no tables, no confidence: the island just lacks them.
  EXPECT_EQ(island.find("\"ties\":["), std::string::npos);
  EXPECT_EQ(island.find("\"confidence\":["), std::string::npos);
  EXPECT_NE(island.find("\"tables\":[]"), std::string::npos);
  // The demo's coordinates are an invented plane: no CRS is claimed.
  EXPECT_NE(island.find("\"crs\":null"), std::string::npos);
  if (const char* path = std::getenv("BRE_HOSTILE_REPORT")) {
    std::ofstream(path, std::ios::binary) << html;
  }
}

TEST(ReportExplore, ThePolicyAdmitsExactlyThePagesScriptByItsHash) {
  const std::string html = HostileRun().render();
  const std::string open = "<script>";
  const auto begin = html.find(open);
  ASSERT_NE(begin, std::string::npos);
  const std::string script = html.substr(begin + open.size(), html.find("</script>", begin) - begin - open.size());
  const auto csp_at = html.find("Content-Security-Policy\" content=\"");
  ASSERT_NE(csp_at, std::string::npos);
  const std::string csp = html.substr(csp_at, html.find("\">", csp_at) - csp_at);
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("connect-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'sha256-" + base64_sha256(script) + "'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("style-src 'unsafe-inline'"), std::string::npos);
  EXPECT_EQ(count(csp, "unsafe-inline"), 1u);  // for styles only
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
}

TEST(ReportExplore, TheSamePageTwiceAndTheCiteBoxNamesTheRun) {
  const HostileRun hostile;
  const std::string first = hostile.render();
  EXPECT_EQ(first, hostile.render());
  EXPECT_NE(first.find("<section id=\"cite\">"), std::string::npos);
  EXPECT_NE(first.find("--seed 7 --out RUN"), std::string::npos);
  EXPECT_NE(first.find("id=\"pipeline-json\""), std::string::npos);
  EXPECT_NE(first.find("data-partition=\"planted\" data-plugin=\"report.partition_map\""), std::string::npos);
}

}  // namespace
}  // namespace bre::test
