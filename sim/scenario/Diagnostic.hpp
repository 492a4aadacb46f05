// A problem found in a scenario or network file, at a position: what the loader (Scenario.cpp), `mailsim check` and
// the GUI's editor show as `file:line:col: message`. Line and column are 1-based; 0 means the whole file.
#pragma once

#include <string>

namespace mailsim::sim {

struct Diagnostic {
    std::string file;
    int line = 0;
    int column = 0;
    std::string message;
    std::string format() const;
};

}  // namespace mailsim::sim
