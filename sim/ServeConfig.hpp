// `mailsim serve --config SCENARIO.yaml`: every host of a scenario network on real sockets (ServeConfig.cpp).
#pragma once

#include <span>
#include <string>

namespace mailsim::sim {

// The --config part of the usage text (printed after the single-host options).
extern const char* const kServeConfigUsage;
// `args` are serve's arguments, --config among them; `usage` is serve's usage text with one %s for kServeConfigUsage.
int serveConfigMain(std::span<const std::string> args, const char* usage);

}  // namespace mailsim::sim
