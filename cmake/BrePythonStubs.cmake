# Makes the modules protoc generated under DIR (bre/v1/*_pb2*.py) a part of the
# bre_client package: `from bre.v1 import x` becomes
# `from bre_client._proto.bre.v1 import x`, and every directory gets an __init__.py.
# Usage: cmake -DDIR=<build>/python/bre_client/_proto -P BrePythonStubs.cmake
file(GLOB modules ${DIR}/bre/v1/*.py)
foreach(module IN LISTS modules)
  file(READ ${module} text)
  string(REGEX REPLACE "(^|\n)from bre\\.v1 import" "\\1from bre_client._proto.bre.v1 import" text "${text}")
  file(WRITE ${module} "${text}")
endforeach()
foreach(package IN ITEMS "" /bre /bre/v1)
  file(WRITE ${DIR}${package}/__init__.py "# Generated from proto/bre/v1 by protoc; do not edit.\n")
endforeach()
