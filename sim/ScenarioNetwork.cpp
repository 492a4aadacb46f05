// The scenario loader, part 2 (see Scenario.hpp for the contract): the network keys (`network:`, `links:`),
// `include:` of network files with their own file:line:col positions and cycle detection, and checking a network
// file on its own. Part 1, Scenario.cpp, loads hosts, DNS and steps and checks the references.
#include "ScenarioLoader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace mailsim::sim::detail {

// What an included network file may contain.
const std::vector<std::string> kFragmentKeys{"include", "network", "links", "hosts", "dns"};

std::optional<YAML::Node> Loader::parse(const std::string& text, const std::string& file) {
    try {
        return YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        diags.push_back(Diagnostic{file, e.mark.line + 1, e.mark.column + 1, "not valid YAML: " + e.msg});
        return std::nullopt;
    }
}

std::string Loader::where(const YAML::Node& n) const {
    SourcePos p = pos(n);
    return fmt::format("{}:{}:{}", m_file, p.line, p.column);
}

// `network: { latency, max_segment, split, loss }`; an included file's settings come first, the scenario's own keys
// override them one by one.
void Loader::loadNetworkKeys(const YAML::Node& net, Scenario& sc) {
    if (!checkMap(net, "network", {"latency", "max_segment", "split", "loss"})) return;
    if (auto n = net["loss"]) {
        double loss = -1;
        if (n.IsScalar()) try { loss = std::stod(n.Scalar()); } catch (...) {}
        if (loss >= 0 && loss <= 1) sc.link.loss = loss;
        else error(n, "loss must be a probability from 0 to 1, e.g. 0.1 (one connection attempt in ten is lost)");
    }
    if (auto n = net["latency"]) {
        auto d = parseDurationOf(string(n, "latency"));
        if (d) sc.link.latency = *d;
        else error(n, "latency must be a duration such as 5ms, 200us or 1s");
    }
    if (auto n = net["max_segment"]) sc.link.maxSegment = static_cast<std::size_t>(integer(n, "max_segment", 1, 65535).value_or(64));
    if (auto n = net["split"]) sc.link.split = boolean(n, "split").value_or(true);
}

// `links: [{ between: [A, B], latency: 80ms, loss: 0.05 }]`: the link between two hosts (both directions) has its
// own one-way latency and per-segment loss (TCP retransmits a lost segment after the RTO); what a link leaves out
// comes from `network:`.
void Loader::loadLinks(const YAML::Node& links, Scenario& sc) {
    if (!links.IsSequence())
        return error(links, "links must be a list, e.g. '- { between: [mail.cesoo.com, mx.example.org], latency: 80ms }'");
    for (const auto& l : links) {
        if (!checkMap(l, "a link", {"between", "latency", "loss"})) continue;
        LinkSpec spec;
        auto ends = l["between"];
        if (!ends || !ends.IsSequence() || ends.size() != 2) {
            error(ends ? ends : YAML::Node(l), "a link needs 'between: [HOST, HOST]': the two hosts it joins, e.g. "
                                   "'between: [mail.cesoo.com, mx.example.org]'");
            continue;
        }
        spec.a = string(ends[0], "a host name").value_or("");
        spec.b = string(ends[1], "a host name").value_or("");
        m_pendingHostRefs.emplace_back(ends[0], spec.a);
        m_pendingHostRefs.emplace_back(ends[1], spec.b);
        if (spec.a == spec.b && !spec.a.empty()) error(ends, fmt::format("a link joins two different hosts, not '{}' with itself", spec.a));
        if (auto n = l["latency"]) {
            auto d = parseDurationOf(string(n, "latency"));
            if (d) spec.latency = *d;
            else error(n, "latency must be a duration such as 80ms, 200us or 1s (one way)");
        }
        if (auto n = l["loss"]) {
            double loss = -1;
            if (n.IsScalar()) try { loss = std::stod(n.Scalar()); } catch (...) {}
            if (loss >= 0 && loss < 1) spec.loss = loss;
            else error(n, "loss must be a probability from 0 to below 1, e.g. 0.05 (one segment in twenty is lost "
                          "and retransmitted)");
        }
        if (!spec.latency && !spec.loss) error(l, "a link needs 'latency', 'loss' or both (otherwise the network's settings apply)");
        sc.links.push_back(std::move(spec));
    }
}

// `include: [networks/two-domains.yaml, ...]`: each path relative to the directory of the file that names it.
void Loader::loadIncludes(const YAML::Node& list, Scenario& sc) {
    std::vector<YAML::Node> items;
    if (list.IsScalar()) items.push_back(list);
    else if (list.IsSequence()) for (const auto& i : list) items.push_back(i);
    else return error(list, fmt::format("include must be a list of file names, e.g. 'include: [networks/two-domains.yaml]', "
                                        "found {}", typeName(list)));
    for (const auto& item : items) {
        auto name = string(item, "an included file name");
        if (!name || name->empty()) continue;
        std::string path = (std::filesystem::path(m_file).parent_path() / *name).lexically_normal().generic_string();
        loadInclude(item, path, sc);
    }
}

void Loader::loadInclude(const YAML::Node& item, const std::string& path, Scenario& sc) {
    if (path == m_file || path == m_mainFile || std::ranges::find(m_includeStack, path) != m_includeStack.end()) {
        std::string chain = m_mainFile;
        for (const auto& f : m_includeStack) chain += " -> " + f;
        return error(item, fmt::format("include cycle: {} -> {}; a file cannot include itself, directly or not", chain, path));
    }
    auto text = m_read(path);
    if (!text)
        return error(item, fmt::format("cannot read the included file '{}' (looked for {}; include paths are relative "
                                       "to the including file)", item.Scalar(), path));
    auto parsed = parse(*text, path);
    if (!parsed) return;
    const YAML::Node root = *parsed;
    const std::string saved = m_file;
    m_includedBy.push_back(where(item));
    m_includeStack.push_back(path);
    m_file = path;
    const std::size_t refsBefore = m_pendingHostRefs.size();
    try {
        loadFragmentBody(root, sc, "an included network file");
    } catch (const YAML::Exception& e) {
        diags.push_back(Diagnostic{path, e.mark.line + 1, e.mark.column + 1, "unexpected structure: " + e.msg});
    }
    for (std::size_t i = refsBefore; i < m_pendingHostRefs.size(); ++i)
        if (m_pendingHostRefs[i].file.empty()) m_pendingHostRefs[i].file = path;
    m_file = saved;
    m_includeStack.pop_back();
    m_includedBy.pop_back();
    if (std::ranges::find(sc.includes, path) == sc.includes.end()) sc.includes.push_back(path);
}

void Loader::loadFragmentBody(const YAML::Node& root, Scenario& sc, std::string_view what) {
    if (!checkMap(root, what, kFragmentKeys)) return;
    if (auto inc = root["include"]) loadIncludes(inc, sc);
    if (auto net = root["network"]) loadNetworkKeys(net, sc);
    if (auto links = root["links"]) loadLinks(links, sc);
    if (auto hosts = root["hosts"]) {
        if (!hosts.IsSequence()) error(hosts, "hosts must be a list (each host starts with '- name: ...')");
        else for (const auto& h : hosts) loadHost(h, sc);
    }
    if (auto dns = root["dns"]) loadDns(dns, sc);
}

void Loader::loadFragmentAlone() {
    m_mainFile = m_file;
    auto text = m_read(m_file);
    if (!text) {
        diags.push_back(Diagnostic{m_file, 0, 0, "cannot read the file"});
        return;
    }
    auto parsed = parse(*text, m_file);
    if (!parsed) return;
    const YAML::Node root = *parsed;
    Scenario sc;
    loadFragmentBody(root, sc, "a network file");
    checkReferences(sc);
}

// "host 'x' is defined twice: here and at FILE:L:C (included by FILE:L:C)".
std::string Loader::definedTwice(std::string_view kind, std::string_view kinds, const std::string& name,
                                 const Origins& origins) const {
    auto it = origins.find(name);
    if (it == origins.end()) return fmt::format("{} '{}' is defined twice", kind, name);
    const auto& [at, includedBy] = it->second;
    if (includedBy.empty()) return fmt::format("{} '{}' is defined twice: here and at {}", kind, name, at);
    return fmt::format("{} '{}' is defined twice: here and at {} (included by {}); a scenario may add {} to an included "
                       "network but not redefine them", kind, name, at, includedBy, kinds);
}

}  // namespace mailsim::sim::detail
