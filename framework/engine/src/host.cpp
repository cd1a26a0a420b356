#include "bre/host.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include <spdlog/spdlog.h>

#include "bre/log.hpp"

namespace bre {

// Member order matters: the plugin object must be destroyed before the library
// holding its code is unloaded.
struct PluginHost::Entry {
  boost::dll::shared_library library;
  std::unique_ptr<Plugin> plugin;
  LoadedPlugin info;
};

PluginHost::PluginHost() = default;
PluginHost::~PluginHost() = default;

namespace {

const std::regex& plugin_name_pattern() {
  static const std::regex pattern("^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$");
  return pattern;
}

}  // namespace

Status validate_description(const v1::PluginDescription& d) {
  if (!std::regex_match(d.name(), plugin_name_pattern())) {
    return invalid_argument("plugin name '" + d.name() + "' is not of the form 'kind.name' in lower case");
  }
  if (d.kind() == v1::PLUGIN_KIND_UNSPECIFIED || !v1::PluginKind_IsValid(d.kind())) {
    return invalid_argument("plugin '" + d.name() + "' declares no valid kind");
  }
  if (d.version().empty()) return invalid_argument("plugin '" + d.name() + "' declares no version");
  if (d.produces().empty()) return invalid_argument("plugin '" + d.name() + "' declares nothing it produces");
  std::vector<std::string> names;
  for (const auto& spec : d.parameters()) {
    if (spec.name().empty()) return invalid_argument("plugin '" + d.name() + "' has a parameter without a name");
    if (std::find(names.begin(), names.end(), spec.name()) != names.end()) {
      return invalid_argument("plugin '" + d.name() + "' declares parameter '" + spec.name() + "' twice");
    }
    names.push_back(spec.name());
    if (spec.path() && spec.type() != v1::PARAMETER_TYPE_STRING) {
      return invalid_argument("plugin '" + d.name() + "': parameter '" + spec.name() + "' is a path but not a string");
    }
    BRE_RETURN_IF_ERROR(check_parameter_value(spec, spec.default_value())
                            .with_context("plugin '" + d.name() + "': default value"));
  }
  // A constraint parameter promises the constraint: declaring it without the
  // capability would let a step ask for what the plugin says it does not honour.
  const bool declares_min_size = std::find(names.begin(), names.end(), "min_region_size") != names.end();
  const bool declares_contiguity = std::find(names.begin(), names.end(), "enforce_contiguity") != names.end();
  if (declares_min_size && !d.capabilities().honours_min_region_size()) {
    return invalid_argument("plugin '" + d.name() +
                            "' declares parameter 'min_region_size' but not the capability honours_min_region_size");
  }
  if (declares_contiguity && !d.capabilities().honours_contiguity()) {
    return invalid_argument("plugin '" + d.name() +
                            "' declares parameter 'enforce_contiguity' but not the capability honours_contiguity");
  }
  for (const auto& alias : d.deprecated_aliases()) {
    if (!std::regex_match(alias, plugin_name_pattern())) {
      return invalid_argument("plugin '" + d.name() + "': alias '" + alias + "' is not of the form 'kind.name'");
    }
  }
  return Status::ok();
}

Status PluginHost::load_library(const std::string& path, const std::string& origin) {
  auto refuse = [&](const std::string& reason) {
    errors_.push_back({path, reason});
    logger()->debug("skipped plugin {}: {}", path, reason);  // callers report errors()
    return Status::ok();  // a bad plugin is reported and skipped, never fatal
  };
  auto entry = std::make_unique<Entry>();
  try {
    // RTLD_NODELETE: a library stays mapped until the process exits, because code of it
    // may outlive the plugin object: thread-local destructors, TBB worker threads, and
    // the stacks of a leak report at exit, which are unreadable once the code is gone.
    entry->library.load(boost::dll::fs::path(path), boost::dll::load_mode::rtld_now |
                                                        boost::dll::load_mode::rtld_local |
                                                        static_cast<boost::dll::load_mode::type>(RTLD_NODELETE));
  } catch (const std::exception& e) {
    return refuse(std::string("cannot be loaded: ") + e.what());
  }
  if (!entry->library.has("bre_plugin_api_version") || !entry->library.has("bre_create_plugin")) {
    return refuse("not a bre plugin (it exports no bre_plugin_api_version and bre_create_plugin)");
  }
  const ApiVersion version = entry->library.get<const ApiVersion>("bre_plugin_api_version");
  const std::string version_text = api_version_string(version);
  if (version.major != kApiVersion.major) {
    return refuse("built against plugin API " + version_text + ", the host has API " + api_version_string() +
                  " (major versions differ)");
  }
  if (version.minor > kApiVersion.minor) {
    return refuse("built against plugin API " + version_text + ", newer than the host's " + api_version_string());
  }
  try {
    auto& factory = entry->library.get_alias<PluginFactory>("bre_create_plugin");
    entry->plugin = factory();
    if (!entry->plugin) return refuse("its factory returned no plugin");
    entry->info.description = entry->plugin->describe();
  } catch (const std::exception& e) {
    return refuse(std::string("threw while loading: ") + e.what());
  } catch (...) {
    return refuse("threw a non-standard exception while loading");
  }
  if (Status valid = validate_description(entry->info.description); !valid) return refuse(valid.message());

  auto& description = entry->info.description;
  std::vector<std::string> names = {description.name()};
  names.insert(names.end(), description.deprecated_aliases().begin(), description.deprecated_aliases().end());
  for (const auto& name : names) {
    if (auto it = by_name_.find(name); it != by_name_.end()) {
      return refuse("duplicate plugin name '" + name + "', already loaded from " +
                    it->second->info.description.library_path());
    }
  }
  description.set_library_path(path);
  description.set_api_version(version_text);
  entry->info.origin = origin;
  entry->info.plugin = entry->plugin.get();
  for (const auto& name : names) by_name_[name] = entry.get();
  logger()->debug("loaded plugin {} {} from {}", description.name(), description.version(), path);
  entries_.push_back(std::move(entry));
  return Status::ok();
}

Status PluginHost::load_directory(const std::string& directory, const std::string& origin) {
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) {
    return not_found("plugin directory " + directory + " (" + origin + ") does not exist or is not a directory");
  }
  std::vector<std::string> files;
  // Non-throwing iteration: an unreadable directory is a Status naming it.
  for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->path().extension() == ".so" && !it->is_directory(type_ec)) files.push_back(it->path().string());
  }
  if (ec) return invalid_argument("plugin directory " + directory + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) BRE_RETURN_IF_ERROR(load_library(file, origin));
  return Status::ok();
}

const LoadedPlugin* PluginHost::find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &it->second->info;
}

std::vector<const LoadedPlugin*> PluginHost::plugins() const {
  std::vector<const LoadedPlugin*> out;
  for (const auto& entry : entries_) out.push_back(&entry->info);
  std::sort(out.begin(), out.end(),
            [](const auto* a, const auto* b) { return a->description.name() < b->description.name(); });
  return out;
}

std::string builtin_plugin_directory() {
  // Plugins live in <libdir>/bre/plugins next to libbre, in the build tree and when
  // installed alike; find libbre through one of its own symbols.
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&builtin_plugin_directory), &info) != 0 && info.dli_fname != nullptr) {
    const auto candidate = std::filesystem::path(info.dli_fname).parent_path() / "bre" / "plugins";
    std::error_code ec;
    if (std::filesystem::is_directory(candidate, ec)) return candidate.string();
  }
  return BRE_BUILD_PLUGIN_DIR;
}

Status load_standard_plugins(PluginHost& host, const std::vector<std::string>& extra_directories) {
  BRE_RETURN_IF_ERROR(host.load_directory(builtin_plugin_directory(), "built-in"));
  if (const char* env = std::getenv("BRE_PLUGIN_PATH"); env != nullptr) {
    std::string paths(env);
    std::size_t start = 0;
    while (start <= paths.size()) {
      const auto end = paths.find(':', start);
      const std::string directory = paths.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!directory.empty()) {
        BRE_RETURN_IF_ERROR(host.load_directory(directory, "BRE_PLUGIN_PATH").with_context("BRE_PLUGIN_PATH"));
      }
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  for (const auto& directory : extra_directories) {
    BRE_RETURN_IF_ERROR(host.load_directory(directory, "--plugin-dir").with_context("--plugin-dir"));
  }
  return Status::ok();
}

}  // namespace bre
