// What libbre exports. The SDK is compiled with hidden visibility: only what its headers
// declare inside `namespace bre BRE_SDK_API { ... }` is visible to plugins and tools, so
// a helper defined only in a .cpp file can change without breaking anyone's plugin.
// The exported symbols are listed in docs/sdk-symbols.txt, checked by a test.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define BRE_SDK_API __attribute__((visibility("default")))
#else
#define BRE_SDK_API
#endif
