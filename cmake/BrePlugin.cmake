# bre_add_plugin(<target> SOURCES <files...> [LINK <libraries...>])
#
# Builds one bre plugin as a MODULE library named <target>.so with hidden visibility,
# so it exports only bre_plugin_api_version and bre_create_plugin. Used in the bre
# tree and, through find_package(bre), by plugins built out of tree.
function(bre_add_plugin target)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES;LINK" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "bre_add_plugin(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE bre::bre ${ARG_LINK})
  target_compile_definitions(${target} PRIVATE BOOST_DLL_USE_STD_FS)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  endif()
endfunction()

# bre_add_builtin_plugin(<target> [CORE <files...>] [SOURCES <plugin.cpp>] [LINK <libraries...>])
# A plugin shipped with bre: built into the build tree's plugin directory and
# installed next to libbre. With CORE, the plugin's algorithm is a static library
# bre_<target>_core of its own (tested directly, linked by the plugin), which links
# LINK publicly; SOURCES defaults to plugin.cpp.
function(bre_add_builtin_plugin target)
  cmake_parse_arguments(ARG "" "" "CORE;SOURCES;LINK" ${ARGN})
  if(NOT ARG_SOURCES)
    set(ARG_SOURCES plugin.cpp)
  endif()
  set(plugin_link ${ARG_LINK})
  if(ARG_CORE)
    set(core bre_${target}_core)
    add_library(${core} STATIC ${ARG_CORE})
    target_link_libraries(${core} PUBLIC bre::bre ${ARG_LINK})
    target_include_directories(${core} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
    set_target_properties(${core} PROPERTIES CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
    set(plugin_link ${core})
  endif()
  bre_add_plugin(${target} SOURCES ${ARG_SOURCES} LINK ${plugin_link}
                 OUTPUT_DIRECTORY ${BRE_PLUGIN_OUTPUT_DIRECTORY})
  set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN/../..")
  install(TARGETS ${target} LIBRARY DESTINATION ${BRE_PLUGIN_INSTALL_DIR})
endfunction()
