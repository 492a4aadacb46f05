// `mailsim --version` and `mailsim-gui --version` (declared in CliArgs.hpp): CMake's project(VERSION), compiled into
// this file only (sim/CMakeLists.txt), so a version change rebuilds one file.
#include "sim/tools/CliArgs.hpp"

#ifndef MAILSIM_VERSION
#error "MAILSIM_VERSION must be defined by CMake (project VERSION)"
#endif

namespace mailsim::sim {

std::string_view versionNumber() { return MAILSIM_VERSION; }

}  // namespace mailsim::sim
