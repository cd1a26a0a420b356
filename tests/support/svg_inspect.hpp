// Reads an SVG map back with a real XML parser (Python's xml.etree, run as a separate
// process) and reports what the map tests check: how many municipality paths, their
// fills and titles, region borders, labels, and anything external.
#pragma once

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace bre::test {

struct SvgInspection {
  bool parsed = false;
  std::string error;  // the parser's message when !parsed
  std::string width, height, view_box, font_family;
  int paths = 0;             // every <path>
  int coded_paths = 0;       // <path> with data-code
  int border_polylines = 0;  // <polyline> in the region-borders group
  int tie_lines = 0;         // <line> in the ties group
  int scripts = 0;           // <script>, <foreignObject>, <image>, <a>
  int external = 0;          // attributes or style text naming a URL other than url(#...)
  std::map<std::string, std::string> fill_by_code;
  std::map<std::string, std::string> title_by_code;
  std::vector<std::string> labels;       // texts of the region-labels group, in order
  std::vector<std::string> tie_strokes;  // stroke colour of each ties class group, in order
  std::vector<std::string> legend_texts;
};

inline constexpr const char* kSvgInspectScript = R"PY(
import json, re, sys
import xml.etree.ElementTree as ET
ns = '{http://www.w3.org/2000/svg}'
out = {}
try:
    root = ET.parse(sys.argv[1]).getroot()
except ET.ParseError as e:
    print(json.dumps({'parsed': False, 'error': str(e)}))
    sys.exit(0)
out['parsed'] = True
out['root'] = root.tag
for key in ('width', 'height', 'viewBox', 'font-family'):
    out[key] = root.get(key, '')
def group(name):
    for g in root.iter(ns + 'g'):
        if g.get('id') == name:
            return g
    return None
paths = list(root.iter(ns + 'path'))
out['paths'] = len(paths)
coded = [p for p in paths if p.get('data-code') is not None]
out['coded'] = len(coded)
out['fills'] = {p.get('data-code'): p.get('fill') for p in coded}
out['titles'] = {p.get('data-code'): (p.find(ns + 'title').text if p.find(ns + 'title') is not None else '') for p in coded}
borders = group('region-borders')
out['borders'] = 0 if borders is None else len(list(borders.iter(ns + 'polyline')))
ties = group('ties')
out['ties'] = 0 if ties is None else len(list(ties.iter(ns + 'line')))
out['tie_strokes'] = [] if ties is None else [g.get('stroke') for g in ties.findall(ns + 'g')]
labels = group('region-labels')
out['labels'] = [] if labels is None else [t.text or '' for t in labels.iter(ns + 'text')]
legend = group('legend')
out['legend'] = [] if legend is None else [t.text or '' for t in legend.iter(ns + 'text')]
out['scripts'] = sum(1 for e in root.iter() if e.tag in (ns + 'script', ns + 'foreignObject', ns + 'image', ns + 'a'))
external = 0
for e in root.iter():
    for k, v in e.attrib.items():
        if 'href' in k or re.search(r'(https?:|file:|data:|url\((?!#))', v):
            external += 1
    if e.tag == ns + 'style':
        external += 1
out['external'] = external
print(json.dumps(out))
)PY";

/// Parses `svg` with /usr/bin/python3's xml.etree and summarises it.
inline SvgInspection inspect_svg(const std::string& svg) {
  SvgInspection inspection;
  TempDir dir;
  write_text(dir.file("map.svg"), svg);
  write_text(dir.file("inspect.py"), kSvgInspectScript);
  const std::string command = "/usr/bin/python3 " + dir.file("inspect.py") + " " + dir.file("map.svg");
  std::string output;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    ::pclose(pipe);
  }
  google::protobuf::Struct result;
  if (!google::protobuf::util::JsonStringToMessage(output, &result).ok()) {
    inspection.error = "could not run the XML parser: " + output;
    return inspection;
  }
  const auto& f = result.fields();
  auto text = [&](const char* key) { return f.count(key) ? f.at(key).string_value() : std::string(); };
  auto number = [&](const char* key) { return f.count(key) ? static_cast<int>(f.at(key).number_value()) : 0; };
  inspection.parsed = f.count("parsed") && f.at("parsed").bool_value();
  inspection.error = text("error");
  if (!inspection.parsed) return inspection;
  EXPECT_EQ(text("root"), "{http://www.w3.org/2000/svg}svg");
  inspection.width = text("width");
  inspection.height = text("height");
  inspection.view_box = text("viewBox");
  inspection.font_family = text("font-family");
  inspection.paths = number("paths");
  inspection.coded_paths = number("coded");
  inspection.border_polylines = number("borders");
  inspection.tie_lines = number("ties");
  inspection.scripts = number("scripts");
  inspection.external = number("external");
  for (const auto& [code, fill] : f.at("fills").struct_value().fields()) inspection.fill_by_code[code] = fill.string_value();
  for (const auto& [code, title] : f.at("titles").struct_value().fields()) {
    inspection.title_by_code[code] = title.string_value();
  }
  for (const auto& v : f.at("labels").list_value().values()) inspection.labels.push_back(v.string_value());
  for (const auto& v : f.at("tie_strokes").list_value().values()) inspection.tie_strokes.push_back(v.string_value());
  for (const auto& v : f.at("legend").list_value().values()) inspection.legend_texts.push_back(v.string_value());
  return inspection;
}

}  // namespace bre::test
