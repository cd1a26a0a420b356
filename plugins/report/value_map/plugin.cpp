// report.value_map: one per-municipality quantity as a choropleth (values.svg): the
// membership confidence of an ensemble partition, an area indicator of the dataset, or
// a column of an input step's table. value_map.cpp picks the values; the drawing lives
// in libbre's bre/map; this file maps parameters.
#include <cstdint>
#include <string>
#include <utility>

#include "bre/map/classification.hpp"
#include "bre/language.hpp"
#include "bre/parameter_decl.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "value_map.hpp"

namespace {

constexpr bre::ParameterDecl<std::int64_t> kYear{
    "year", 0, 0, 9999, "Year of the indicator values (source indicator); 0 = latest available."};
constexpr bre::ParameterDecl<std::int64_t> kClasses{"classes", 5, 2, 9, "Value classes (fill colours) wanted."};

class ValueMapPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(
               "report.value_map", bre::v1::PLUGIN_KIND_REPORT, "1.0.0",
               "SVG choropleth of one value per municipality (values.svg) with a class legend: the input "
               "partition's membership confidence, an area indicator of the dataset, or a column of an input "
               "step's table (per municipality, or per region of an input partition).")
        .parameter(bre::string_param(
            "source", "confidence", {"confidence", "indicator", "table", "disagreement"},
            "confidence = membership confidence of the first input partition (DOMAIN.md §2); indicator = "
            "area indicator 'indicator' in 'year' (§4); table = column 'column' of an input step's table; "
            "disagreement = where partitions 'partition_a' and 'partition_b', compared by an input step, disagree."))
        .parameter(bre::string_param("indicator", "", {}, "Area indicator id (source indicator)."))
        .parameter(kYear.spec())
        .parameter(bre::string_param("column", "", {}, "Table column id (source table), e.g. congruence_c1."))
        .parameter(bre::string_param("partition_a", "", {},
                                     "Source disagreement: one partition of the pair (empty = the first comparison)."))
        .parameter(bre::string_param("partition_b", "", {}, "Source disagreement: the other partition."))
        .parameter(kClasses.spec())
        .parameter(bre::string_param(
            "method", "natural_breaks", {"natural_breaks", "quantile", "equal_interval", "geometric"},
            "Class bounds: natural_breaks = classes of least within-class variance (Fisher/Jenks, exact), "
            "quantile = about as many municipalities per class, equal_interval = equal ranges, geometric = each "
            "class a constant factor wider (positive values only). No method leaves a class empty: an empty class "
            "is merged into the one below."))
        .parameter(bre::string_param("title", "", {}, "Map title; empty = named after the values, in the run's language."))
        .produces(bre::v1::ARTIFACT_KIND_DOCUMENT);
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = bre::step_where(context);
    const bre::Params& params = context.params();
    bre::report::ValueMapParameters parameters;
    bre::Expected<bre::report::ValueSource> source = bre::report::parse_value_source(params.get_string("source"));
    if (!source) return source.status().with_context(where + ": parameter 'source'");
    parameters.source = *source;
    parameters.indicator = params.get_string("indicator");
    parameters.year = kYear.read(params);
    parameters.column = params.get_string("column");
    parameters.partition_a = params.get_string("partition_a");
    parameters.partition_b = params.get_string("partition_b");
    bre::Expected<bre::map::ClassMethod> method = bre::map::parse_class_method(params.get_string("method"));
    if (!method) return method.status().with_context(where + ": parameter 'method'");
    parameters.map.classes.method = *method;
    parameters.map.classes.class_count = static_cast<std::size_t>(kClasses.read(params));
    parameters.map.title = params.get_string("title");
    parameters.map.value_label.clear();
    parameters.map.language = bre::run_language(context);
    bre::Expected<bre::v1::Document> document =
        bre::report::value_map_document(context.dataset(), context.inputs(), parameters);
    if (!document) return document.status().with_context(where);
    *out.add_documents() = std::move(*document);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(ValueMapPlugin)
