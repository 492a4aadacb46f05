// The scenario loader's internals, shared by the files that implement it (Scenario.cpp: the document, hosts, DNS,
// sessions, faults and cross-references; ScenarioMua.cpp: the user-agent steps). Not part of the sim API:
// `loadScenario` in Scenario.hpp is the entry point.
#pragma once

#include "sim/scenario/Scenario.hpp"

#include "message/MimeBuilder.hpp"

#include <charconv>
#include <map>
#include <fmt/format.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace mailsim::sim::detail {

// Limits of a scenario document (docs/security.md): a structure this deep or this large is never a scenario.
inline constexpr int kMaxYamlDepth = 64;
inline constexpr std::size_t kMaxYamlNodes = 1'000'000;

// parseDuration of an optional field (nullopt stays nullopt). Written out rather than std::optional::and_then, which
// emscripten 3.1.6's libc++ (the browser build) does not have.
inline std::optional<trace::Micros> parseDurationOf(const std::optional<std::string>& text) {
    return text ? parseDuration(*text) : std::nullopt;
}

std::size_t editDistance(std::string_view a, std::string_view b);
// The candidate close to `name` (a misspelling), or an empty suggestion.
Suggestion didYouMean(std::string_view name, const std::vector<std::string>& candidates);
std::string joinQuoted(const std::vector<std::string>& names);
// What a node is ("a list"), for "found ...".
What typeName(const YAML::Node& n);
// A scalar's text as written, else what the node is.
DiagArg foundText(const YAML::Node& n);

using D = DiagnosticId;

class Loader {
public:
    Loader(std::string file, FileReader read) : m_file(std::move(file)), m_read(std::move(read)) {}

    std::vector<Diagnostic> diags;

    void error(const YAML::Node& at, DiagnosticId id, std::vector<DiagArg> args = {}) {
        SourcePos p = pos(at);
        diags.push_back(Diagnostic{m_file, p.line, p.column, id, std::move(args)});
    }
    static SourcePos pos(const YAML::Node& n) {
        if (!n.IsDefined()) return {};
        auto m = n.Mark();
        if (m.line < 0) return {};
        return SourcePos{m.line + 1, m.column + 1};
    }

    // Reports keys of `map` that are not in `allowed`; false when `map` is not a mapping.
    bool checkMap(const YAML::Node& map, const What& what, const std::vector<std::string>& allowed) {
        if (!map.IsMap()) {
            error(map, D::NotAMapping, {what, typeName(map)});
            return false;
        }
        for (const auto& kv : map) {
            std::string key = kv.first.Scalar();
            if (std::ranges::find(allowed, key) == allowed.end())
                error(kv.first, D::UnknownKey, {key, what, didYouMean(key, allowed), joinQuoted(allowed)});
        }
        return true;
    }

    // Text a user reads (title, description, note, checkpoint label): a plain string (English) or {en: ..., zh: ...}.
    // A language left out is recorded in `gaps` (mailsim check warns); the other language stands in for it.
    std::vector<TextGap> gaps;
    i18n::LocalText localText(const YAML::Node& n, const What& what) {
        i18n::LocalText t;
        if (n.IsScalar()) {
            t.en = n.Scalar();
        } else if (n.IsMap()) {
            if (!checkMap(n, what, {"en", "zh"})) return t;
            What inEn = what, inZh = what;
            inEn.in = i18n::Lang::En;
            inZh.in = i18n::Lang::Zh;
            if (auto en = n["en"]) t.en = string(en, inEn).value_or("");
            if (auto zh = n["zh"]) t.zh = string(zh, inZh).value_or("");
            if (t.en.empty() && t.zh.empty()) error(n, D::TextNeitherLang, {what});
        } else {
            error(n, D::NotTextOrLocal, {what, typeName(n)});
            return t;
        }
        const SourcePos p = pos(n);
        for (i18n::Lang lang : i18n::kAllLangs) {
            const std::string& mine = lang == i18n::Lang::Zh ? t.zh : t.en;
            if (mine.empty() && !t.empty()) gaps.push_back(TextGap{m_file, p, what, lang});
        }
        if (t.en.empty()) t.en = t.zh;
        return t;
    }

    std::optional<std::string> string(const YAML::Node& n, const What& what) {
        if (!n.IsScalar()) {
            error(n, D::NotText, {what, typeName(n)});
            return std::nullopt;
        }
        return n.Scalar();
    }

    // Text that becomes a header value (a subject, a display name): one line. CR or LF would start another header
    // field (header injection, RFC 5322 2.2): reported at the value's position, and nullopt.
    // (The test is message::headerValueError's; its reason is written here in both languages.)
    std::optional<std::string> headerText(const YAML::Node& n, const What& what) {
        auto s = string(n, what);
        if (!s) return std::nullopt;
        if (message::headerValueError(*s)) {
            const std::size_t at = s->find_first_of("\r\n");
            error(n, D::HeaderLineBreak, {what, std::string((*s)[at] == '\r' ? "CR" : "LF"), static_cast<long long>(at + 1)});
            return std::nullopt;
        }
        return s;
    }

    std::optional<long long> integer(const YAML::Node& n, const What& what, long long lo, long long hi) {
        long long v = 0;
        if (n.IsScalar()) {
            const std::string& s = n.Scalar();
            auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (ec == std::errc{} && p == s.data() + s.size()) {
                if (v >= lo && v <= hi) return v;
                error(n, D::NumberOutOfRange, {what, v, lo, hi});
                return std::nullopt;
            }
        }
        error(n, D::NotANumber, {what, lo, hi, foundText(n)});
        return std::nullopt;
    }

    std::optional<bool> boolean(const YAML::Node& n, const What& what) {
        if (n.IsScalar()) {
            const std::string& s = n.Scalar();
            if (s == "true" || s == "yes" || s == "on") return true;
            if (s == "false" || s == "no" || s == "off") return false;
        }
        error(n, D::NotBoolean, {what});
        return std::nullopt;
    }

    std::vector<std::string> stringList(const YAML::Node& n, const What& what) {
        std::vector<std::string> out;
        if (n.IsScalar()) {
            out.push_back(n.Scalar());
        } else if (n.IsSequence()) {
            for (const auto& item : n)
                if (auto s = string(item, what)) out.push_back(*s);
        } else {
            error(n, D::NotNameList, {what, typeName(n)});
        }
        return out;
    }

    Scenario load(const YAML::Node& root);
    // Parses `text` as YAML; a syntax error becomes a diagnostic at `file`'s line and column (and nullopt), and so do
    // a text over kMaxScenarioBytes (refused before parsing), nesting deeper than kMaxYamlDepth and duplicate keys.
    std::optional<YAML::Node> parse(const std::string& text, const std::string& file);
    // A network fragment checked on its own (mailsim check on scenarios/networks/): its includes, hosts, DNS and
    // network settings, and the host references among them.
    void loadFragmentAlone();

private:
    void loadHost(const YAML::Node& n, Scenario& sc);
    void loadServices(const YAML::Node& s, HostSpec& host);
    void loadUsers(const YAML::Node& users, HostSpec& host);
    void loadLists(const YAML::Node& lists, HostSpec& host);
    void loadSmtpService(const YAML::Node& n, HostSpec& host);
    void loadDns(const YAML::Node& n, Scenario& sc);
    void loadRelayHostKeys(const YAML::Node& n, HostSpec& host);
    void loadStoreFault(const YAML::Node& n, HostSpec& host);
    bool loadFault(const YAML::Node& step, Step& out);
    void loadStep(const YAML::Node& n, Scenario& sc);
    bool loadSession(const YAML::Node& step, Step& out);
    bool loadMua(const YAML::Node& step, Step& out);
    bool loadConnection(const YAML::Node& fromNode, const YAML::Node& toNode, ConnectionSpec& c);
    // A user agent's `tls:` key (none, opportunistic, starttls); implicit TLS follows from the port instead.
    void loadClientTls(const YAML::Node& m, ConnectionSpec& c);
    std::optional<MailSpec> loadMail(const YAML::Node& n);
    std::optional<AttachmentSpec> loadAttachment(const YAML::Node& n);
    bool loadImapMua(const YAML::Node& m, const std::string& action, Step& out);
    std::optional<ExpectSpec> loadExpect(const YAML::Node& n, const YAML::Node& contains, const std::string& protocol);
    bool loadFetch(const YAML::Node& m, Step& out);
    void checkReferences(Scenario& sc);
    void loadNetworkKeys(const YAML::Node& net, Scenario& sc);
    void loadLinks(const YAML::Node& links, Scenario& sc);
    void loadIncludes(const YAML::Node& list, Scenario& sc);
    void loadInclude(const YAML::Node& item, const std::string& path, Scenario& sc);
    void loadFragmentBody(const YAML::Node& root, Scenario& sc, const What& what);
    std::string where(const YAML::Node& n) const;
    bool checkTree(const YAML::Node& root, const std::string& file);
    // Confines `include:` to the main scenario's folder tree: an error at `item` (and false) for an absolute path, or
    // one whose canonical form (symlinks resolved) lies outside that folder.
    bool includeAllowed(const YAML::Node& item, const std::string& name, const std::string& path);
    // name -> ("file:line:col" where it was defined, "file:line:col" of the include line that brought it, or "")
    using Origins = std::map<std::string, std::pair<std::string, std::string>>;
    // "host 'x' is defined twice: here and at FILE:L:C (included by FILE:L:C)", or the same of a dns entry.
    void definedTwice(const YAML::Node& at, bool dns, const std::string& name, const Origins& origins);

    // A name that must resolve once everything is loaded: a host ("name"), a host or MX domain ("?name") or a
    // mailbox ("@address"); `file` is where it was written.
    struct PendingRef {
        PendingRef(YAML::Node n, std::string r) : node(std::move(n)), ref(std::move(r)) {}
        YAML::Node node;
        std::string ref;
        std::string file;  // "" = the scenario file itself
    };

    std::string m_file;  // the file being read now (an included file while its keys load)
    std::string m_mainFile;
    FileReader m_read;
    std::vector<PendingRef> m_pendingHostRefs;
    std::vector<std::string> m_includeStack;            // files being included, outermost first (cycle detection)
    std::vector<std::string> m_includedBy;              // "file:line:col" of the include line, per stack level
    Origins m_hostOrigins;
    Origins m_dnsOrigins;
    std::map<std::string, SourcePos> m_checkpoints;     // name -> where it was defined
};

}  // namespace mailsim::sim::detail
