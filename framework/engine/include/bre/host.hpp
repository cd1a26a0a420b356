// The plugin host: finds plugin libraries in directories, checks the API handshake,
// and keeps each library loaded for as long as its plugin lives.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bre/plugin.hpp"
#include "bre/status.hpp"

namespace bre {

/// A library the host looked at and did not load, with the reason.
struct PluginLoadError {
  std::string path;
  std::string reason;
};

/// A loaded plugin with where it came from.
struct LoadedPlugin {
  v1::PluginDescription description;  // library_path and api_version filled in
  std::string origin;                 // "built-in", "BRE_PLUGIN_PATH", "--plugin-dir"
  const Plugin* plugin = nullptr;
};

class PluginHost {
 public:
  PluginHost();
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  /// Loads every "*.so" in `directory` (not recursive), in file-name order so the
  /// result does not depend on the file system. Libraries that are not bre plugins,
  /// have another major API version or a newer minor, a duplicate name, a description
  /// that does not validate, or whose factory throws, are recorded in errors() and
  /// skipped. Fails only when the directory cannot be read.
  Status load_directory(const std::string& directory, const std::string& origin);

  /// Loads one library; the same checks as load_directory.
  Status load_library(const std::string& path, const std::string& origin);

  /// The plugin with this name or deprecated alias, or nullptr.
  const LoadedPlugin* find(const std::string& name) const;
  /// All loaded plugins, sorted by name.
  std::vector<const LoadedPlugin*> plugins() const;
  const std::vector<PluginLoadError>& errors() const { return errors_; }

 private:
  struct Entry;
  std::vector<std::unique_ptr<Entry>> entries_;
  std::map<std::string, Entry*> by_name_;  // names and aliases
  std::vector<PluginLoadError> errors_;
};

/// The directory of the plugins built with bre: "bre/plugins" beside libbre (in the
/// build tree and when installed alike), else the build tree's plugin directory.
std::string builtin_plugin_directory();

/// Loads the built-in directory, then each directory in BRE_PLUGIN_PATH (':'-separated),
/// then `extra_directories` (--plugin-dir). A later duplicate name is a load error.
Status load_standard_plugins(PluginHost& host, const std::vector<std::string>& extra_directories);

/// Checks a description for internal consistency: name pattern, kind set, default
/// values of the declared type and inside the declared range or choices.
Status validate_description(const v1::PluginDescription& description);

}  // namespace bre
