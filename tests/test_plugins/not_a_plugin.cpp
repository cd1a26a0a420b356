// A shared library that is not a bre plugin: it exports an unrelated function.
extern "C" __attribute__((visibility("default"))) int not_a_bre_plugin() { return 42; }
