#include "sim/tools/ServeReady.hpp"

#include "sim/tools/TraceJson.hpp"

#include <cerrno>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <yaml-cpp/yaml.h>

#include <unistd.h>

namespace mailsim::sim {

std::string ReadyListener::endpoint() const {
    return address.find(':') != std::string::npos ? fmt::format("[{}]:{}", address, port)
                                                   : fmt::format("{}:{}", address, port);
}

std::string readyJson(const ReadyInfo& info) {
    std::string out = "{\"format\":";
    jsonString(out, kReadyFormat);
    out += fmt::format(",\"version\":{},\"pid\":{},\"listeners\":[", kReadyVersion, info.pid);
    for (std::size_t i = 0; i < info.listeners.size(); ++i) {
        const ReadyListener& l = info.listeners[i];
        out += i ? ",{" : "{";
        for (auto [name, value] : {std::pair<std::string_view, const std::string*>{"host", &l.host},
                                   {"service", &l.service}, {"protocol", &l.protocol}, {"address", &l.address}}) {
            out += fmt::format("\"{}\":", name);
            jsonString(out, *value);
            out += ',';
        }
        out += fmt::format("\"port\":{},\"endpoint\":", l.port);
        jsonString(out, l.endpoint());
        out += fmt::format(",\"implicitTls\":{},\"submission\":{},\"starttls\":{}}}", l.implicitTls, l.submission,
                           l.starttls);
    }
    out += "]}\n";
    return out;
}

std::expected<ReadyInfo, std::string> parseReadyJson(std::string_view text) {
    YAML::Node doc;
    try {
        doc = YAML::Load(std::string(text));  // JSON is YAML 1.2
    } catch (const YAML::Exception& e) {
        return std::unexpected(std::string("not JSON: ") + e.what());
    }
    if (!doc.IsMap() || !doc["format"] || doc["format"].as<std::string>("") != kReadyFormat)
        return std::unexpected(fmt::format("not a {} document", kReadyFormat));
    if (doc["version"].as<int>(0) < 1) return std::unexpected("no version");
    ReadyInfo info;
    info.pid = doc["pid"].as<long>(0);
    const YAML::Node listeners = doc["listeners"];
    if (!listeners.IsSequence()) return std::unexpected("no listeners");
    for (const auto& n : listeners) {
        if (!n.IsMap()) return std::unexpected("a listener that is not an object");  // n["host"] would throw
        ReadyListener l;
        l.host = n["host"].as<std::string>("");
        l.service = n["service"].as<std::string>("");
        l.protocol = n["protocol"].as<std::string>("");
        l.address = n["address"].as<std::string>("");
        l.port = n["port"].as<int>(0);
        l.implicitTls = n["implicitTls"].as<bool>(false);
        l.submission = n["submission"].as<bool>(false);
        l.starttls = n["starttls"].as<bool>(false);
        if (l.service.empty() || l.address.empty() || l.port <= 0 || l.port > 65535)
            return std::unexpected("a listener without service, address or port");
        info.listeners.push_back(std::move(l));
    }
    return info;
}

std::expected<void, int> writeReadyFile(const std::string& path, const ReadyInfo& info) {
    const std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
    const std::string text = readyJson(info);
    std::FILE* f = std::fopen(tmp.c_str(), "w");
    if (!f) return std::unexpected(errno);
    bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    int err = ok ? 0 : errno;
    if (std::fclose(f) != 0 && ok) ok = false, err = errno;
    if (ok && std::rename(tmp.c_str(), path.c_str()) != 0) ok = false, err = errno;
    if (!ok) {
        std::remove(tmp.c_str());
        return std::unexpected(err ? err : EIO);
    }
    return {};
}

std::expected<ReadyInfo, std::string> readReadyFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::unexpected(std::string());
    std::ostringstream text;
    text << in.rdbuf();
    return parseReadyJson(text.str());
}

}  // namespace mailsim::sim
