// A minimal well-formed description for the test plugins.
#pragma once

#include "bre/plugin.hpp"

namespace bre::test {

inline v1::PluginDescription test_description(const std::string& name) {
  v1::PluginDescription d;
  d.set_name(name);
  d.set_kind(v1::PLUGIN_KIND_INDICATOR);
  d.set_version("0.0.1");
  d.set_summary("test plugin");
  d.add_produces(v1::ARTIFACT_KIND_INDICATOR_TABLE);
  return d;
}

}  // namespace bre::test
