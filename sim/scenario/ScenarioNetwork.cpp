// The scenario loader, part 2 (see Scenario.hpp for the contract): the network keys (`network:`, `links:`),
// `include:` of network files with their own file:line:col positions and cycle detection, and checking a network
// file on its own. Part 1, Scenario.cpp, loads hosts, DNS and steps and checks the references.
#include "sim/scenario/ScenarioLoader.hpp"

#include <yaml-cpp/depthguard.h>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

namespace mailsim::sim::detail {

// What an included network file may contain.
const std::vector<std::string> kFragmentKeys{"include", "network", "links", "hosts", "dns"};

std::optional<YAML::Node> Loader::parse(const std::string& text, const std::string& file) {
    if (text.size() > kMaxScenarioBytes) {
        diags.push_back(Diagnostic{file, 0, 0, D::TooLarge, {static_cast<long long>(kMaxScenarioBytes)}});
        return std::nullopt;
    }
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::DeepRecursion& e) {  // yaml-cpp's own guard (2000 levels), before the tree exists
        diags.push_back(Diagnostic{file, e.mark.line + 1, e.mark.column + 1, D::TooDeep,
                                   {static_cast<long long>(kMaxYamlDepth), static_cast<long long>(e.mark.line + 1),
                                    static_cast<long long>(e.mark.column + 1)}});
        return std::nullopt;
    } catch (const YAML::ParserException& e) {
        diags.push_back(Diagnostic{file, e.mark.line + 1, e.mark.column + 1, D::NotYaml, {classifyYamlMessage(e.msg)}});
        return std::nullopt;
    }
    if (!checkTree(root, file)) return std::nullopt;
    return root;  // duplicate keys were reported; the rest of the document is still checked
}

// yaml-cpp keeps every pair of a mapping but `map["x"]` finds only the first: a second `subject:` would be ignored
// without a word. This walk reports each duplicate at the second key with where the first one is, and refuses
// documents nested deeper than kMaxYamlDepth or expanding (through aliases) to more than kMaxYamlNodes values.
// Iterative, so the walk itself is bounded whatever the document. False (stop) for the depth and size limits only.
bool Loader::checkTree(const YAML::Node& root, const std::string& file) {
    struct Item {
        YAML::Node node;
        int depth;
    };
    std::vector<Item> stack{{root, 1}};
    std::size_t visited = 0;
    while (!stack.empty()) {
        Item item = std::move(stack.back());
        stack.pop_back();
        if (++visited > kMaxYamlNodes) {
            SourcePos p = pos(item.node);
            diags.push_back(Diagnostic{file, p.line, p.column, D::TooManyValues, {static_cast<long long>(kMaxYamlNodes)}});
            return false;
        }
        if (!item.node.IsMap() && !item.node.IsSequence()) continue;
        if (item.depth > kMaxYamlDepth) {
            SourcePos p = pos(item.node);
            diags.push_back(Diagnostic{file, p.line, p.column, D::TooDeep,
                                       {static_cast<long long>(kMaxYamlDepth), static_cast<long long>(p.line),
                                        static_cast<long long>(p.column)}});
            return false;
        }
        if (item.node.IsSequence()) {
            for (const auto& child : item.node) stack.push_back({child, item.depth + 1});
            continue;
        }
        std::map<std::string, SourcePos> seen;
        for (const auto& kv : item.node) {
            if (kv.first.IsScalar()) {
                SourcePos at = pos(kv.first);
                auto [it, fresh] = seen.emplace(kv.first.Scalar(), at);
                if (!fresh) {
                    diags.push_back(Diagnostic{file, at.line, at.column, D::DuplicateKey,
                                               {kv.first.Scalar(), static_cast<long long>(it->second.line),
                                                static_cast<long long>(it->second.column)}});
                }
            }
            stack.push_back({kv.first, item.depth + 1});
            stack.push_back({kv.second, item.depth + 1});
        }
    }
    return true;
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
        else error(n, D::LossBad);
    }
    if (auto n = net["latency"]) {
        auto d = parseDurationOf(string(n, "latency"));
        if (d) sc.link.latency = *d;
        else error(n, D::LatencyBad);
    }
    if (auto n = net["max_segment"]) sc.link.maxSegment = static_cast<std::size_t>(integer(n, "max_segment", 1, 65535).value_or(64));
    if (auto n = net["split"]) sc.link.split = boolean(n, "split").value_or(true);
}

// `links: [{ between: [A, B], latency: 80ms, loss: 0.05 }]`: the link between two hosts (both directions) has its
// own one-way latency and per-segment loss (TCP retransmits a lost segment after the RTO); what a link leaves out
// comes from `network:`.
void Loader::loadLinks(const YAML::Node& links, Scenario& sc) {
    if (!links.IsSequence())
        return error(links, D::LinksNotList);
    for (const auto& l : links) {
        if (!checkMap(l, Noun::Link, {"between", "latency", "loss"})) continue;
        LinkSpec spec;
        auto ends = l["between"];
        if (!ends || !ends.IsSequence() || ends.size() != 2) {
            error(ends ? ends : YAML::Node(l), D::LinkNeedsBetween);
            continue;
        }
        spec.a = string(ends[0], Noun::AHostName).value_or("");
        spec.b = string(ends[1], Noun::AHostName).value_or("");
        m_pendingHostRefs.emplace_back(ends[0], spec.a);
        m_pendingHostRefs.emplace_back(ends[1], spec.b);
        if (spec.a == spec.b && !spec.a.empty()) error(ends, D::LinkSelf, {spec.a});
        if (auto n = l["latency"]) {
            auto d = parseDurationOf(string(n, "latency"));
            if (d) spec.latency = *d;
            else error(n, D::LinkLatencyBad);
        }
        if (auto n = l["loss"]) {
            double loss = -1;
            if (n.IsScalar()) try { loss = std::stod(n.Scalar()); } catch (...) {}
            if (loss >= 0 && loss < 1) spec.loss = loss;
            else error(n, D::LinkLossBad);
        }
        if (!spec.latency && !spec.loss) error(l, D::LinkNeedsSetting);
        sc.links.push_back(std::move(spec));
    }
}

// `include: [networks/two-domains.yaml, ...]`: each path relative to the directory of the file that names it.
void Loader::loadIncludes(const YAML::Node& list, Scenario& sc) {
    std::vector<YAML::Node> items;
    if (list.IsScalar()) items.push_back(list);
    else if (list.IsSequence()) for (const auto& i : list) items.push_back(i);
    else return error(list, D::IncludeNotList, {typeName(list)});
    for (const auto& item : items) {
        auto name = string(item, Noun::IncludedFileName);
        if (!name || name->empty()) continue;
        std::string path = (std::filesystem::path(m_file).parent_path() / *name).lexically_normal().generic_string();
        if (includeAllowed(item, *name, path)) loadInclude(item, path, sc);
    }
}

// Scenarios are shared between teachers: an include may only read files in the scenario's own folder tree (the
// folder of the scenario file, or of the network file checked alone, and its subfolders). Checked twice: lexically
// (works for readers that are not the disk, as in the tests) and on the canonical paths, with symlinks resolved
// (weakly_canonical: the existing part of the path), comparing whole path components so that /srv/class-evil is not
// inside /srv/class.
bool Loader::includeAllowed(const YAML::Node& item, const std::string& name, const std::string& path) {
    namespace fs = std::filesystem;
    if (fs::path(name).is_absolute()) {
        error(item, D::IncludeAbsolute, {name});
        return false;
    }
    const fs::path root = fs::path(m_mainFile).parent_path();
    auto inside = [](const fs::path& dir, const fs::path& file) {
        auto [d, f] = std::mismatch(dir.begin(), dir.end(), file.begin(), file.end());
        return d == dir.end() || (std::next(d) == dir.end() && d->empty());  // "a/b/" ends in an empty component
    };
    const fs::path lexical = fs::path(path).lexically_normal();
    bool ok = !lexical.empty() && *lexical.begin() != ".." &&
              (root.empty() || inside(root.lexically_normal(), lexical));
    std::error_code ec1, ec2;
    const fs::path canonicalRoot = fs::weakly_canonical(fs::absolute(root.empty() ? fs::path(".") : root), ec1);
    const fs::path canonicalFile = fs::weakly_canonical(fs::absolute(path), ec2);
    if (!ok) {
        error(item, D::IncludeOutside, {name, root.empty() ? std::string() : " " + root.generic_string()});
        return false;
    }
    if (!ec1 && !ec2 && !inside(canonicalRoot, canonicalFile)) {
        error(item, D::IncludeSymlink, {name, canonicalFile.string(), canonicalRoot.string()});
        return false;
    }
    return true;
}

void Loader::loadInclude(const YAML::Node& item, const std::string& path, Scenario& sc) {
    if (path == m_file || path == m_mainFile || std::ranges::find(m_includeStack, path) != m_includeStack.end()) {
        std::string chain = m_mainFile;
        for (const auto& f : m_includeStack) chain += " -> " + f;
        return error(item, D::IncludeCycle, {chain, path});
    }
    auto text = m_read(path);
    if (!text)
        return error(item, D::IncludeUnreadable, {item.Scalar(), path});
    auto parsed = parse(*text, path);
    if (!parsed) return;
    const YAML::Node root = *parsed;
    const std::string saved = m_file;
    m_includedBy.push_back(where(item));
    m_includeStack.push_back(path);
    m_file = path;
    const std::size_t refsBefore = m_pendingHostRefs.size();
    try {
        loadFragmentBody(root, sc, Noun::IncludedNetworkFile);
    } catch (const YAML::Exception& e) {
        diags.push_back(Diagnostic{path, e.mark.line + 1, e.mark.column + 1, D::UnexpectedStructure,
                                   {classifyYamlMessage(e.msg)}});
    }
    for (std::size_t i = refsBefore; i < m_pendingHostRefs.size(); ++i)
        if (m_pendingHostRefs[i].file.empty()) m_pendingHostRefs[i].file = path;
    m_file = saved;
    m_includeStack.pop_back();
    m_includedBy.pop_back();
    if (std::ranges::find(sc.includes, path) == sc.includes.end()) sc.includes.push_back(path);
}

void Loader::loadFragmentBody(const YAML::Node& root, Scenario& sc, const What& what) {
    if (!checkMap(root, what, kFragmentKeys)) return;
    if (auto inc = root["include"]) loadIncludes(inc, sc);
    if (auto net = root["network"]) loadNetworkKeys(net, sc);
    if (auto links = root["links"]) loadLinks(links, sc);
    if (auto hosts = root["hosts"]) {
        if (!hosts.IsSequence()) error(hosts, D::HostsNotList);
        else for (const auto& h : hosts) loadHost(h, sc);
    }
    if (auto dns = root["dns"]) loadDns(dns, sc);
}

void Loader::loadFragmentAlone() {
    m_mainFile = m_file;
    auto text = m_read(m_file);
    if (!text) {
        diags.push_back(Diagnostic{m_file, 0, 0, D::CannotReadFile, {}});
        return;
    }
    auto parsed = parse(*text, m_file);
    if (!parsed) return;
    const YAML::Node root = *parsed;
    Scenario sc;
    loadFragmentBody(root, sc, Noun::NetworkFile);
    checkReferences(sc);
}

void Loader::definedTwice(const YAML::Node& node, bool dns, const std::string& name, const Origins& origins) {
    auto it = origins.find(name);
    if (it == origins.end()) return error(node, dns ? D::DnsTwice : D::HostTwice, {name});
    const auto& [at, includedBy] = it->second;
    if (includedBy.empty()) return error(node, dns ? D::DnsTwiceAt : D::HostTwiceAt, {name, at});
    error(node, dns ? D::DnsTwiceIncluded : D::HostTwiceIncluded, {name, at, includedBy});
}

}  // namespace mailsim::sim::detail
