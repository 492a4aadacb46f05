// Test helpers for tests that touch the file system: a fresh directory removed at the end of the test, and whole-file
// read and write.
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

namespace mailsim::test {

// A fresh directory under the system temp dir ("<prefix>-XXXXXX"), removed with everything in it at the end of the
// test.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(std::string_view prefix = "mailsim-test") {
        std::string tmpl = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

// The file's bytes as they are on disk (empty when it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Replaces the file with exactly these bytes.
inline void writeFile(const std::filesystem::path& p, std::string_view text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

}  // namespace mailsim::test
