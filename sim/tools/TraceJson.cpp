#include "sim/tools/TraceJson.hpp"

#include <charconv>
#include <concepts>
#include <fmt/format.h>
#include <type_traits>

namespace mailsim::sim {
namespace {

template <typename T>
concept HasFields = requires(T& t) { T::fields(t, [](std::string_view, auto&) {}); };

// Walks a payload's fields and writes those that are not at their default.
struct Writer {
    std::string& out;
    bool first = true;

    void key(std::string_view name) {
        if (!first) out += ',';
        first = false;
        jsonString(out, name);
        out += ':';
    }
    void operator()(std::string_view name, const std::string& v) {
        if (v.empty()) return;
        key(name);
        jsonString(out, v);
    }
    void operator()(std::string_view name, bool v) {
        if (!v) return;
        key(name);
        out += "true";
    }
    template <typename T>
        requires std::is_integral_v<T>
    void operator()(std::string_view name, T v) {
        if (v == 0) return;
        key(name);
        out += std::to_string(v);
    }
    template <typename E>
        requires std::is_enum_v<E>
    void operator()(std::string_view name, E v) {
        key(name);
        jsonString(out, trace::enumName(v));
    }
    template <typename T>
        requires(!HasFields<T>)
    void operator()(std::string_view name, const std::optional<T>& v) {
        if (!v) return;
        key(name);
        out += std::to_string(*v);
    }
    template <HasFields T>
    void operator()(std::string_view name, const std::optional<T>& v) {
        if (!v) return;
        key(name);
        object(*v);  // present: written even when every field is at its default
    }
    void operator()(std::string_view name, const std::vector<std::string>& v) {
        if (v.empty()) return;
        key(name);
        out += '[';
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i) out += ',';
            jsonString(out, v[i]);
        }
        out += ']';
    }
    void operator()(std::string_view name, const std::vector<std::uint64_t>& v) {
        if (v.empty()) return;
        key(name);
        out += '[';
        for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + std::to_string(v[i]);
        out += ']';
    }
    template <HasFields T>
    void operator()(std::string_view name, const T& v) {
        std::string inner;
        Writer{inner}.object(v);
        if (inner == "{}") return;  // every field at its default (an endpoint nobody knew)
        key(name);
        out += inner;
    }
    template <HasFields T>
    void operator()(std::string_view name, const std::vector<T>& v) {
        if (v.empty()) return;
        key(name);
        out += '[';
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i) out += ',';
            object(v[i]);
        }
        out += ']';
    }
    template <HasFields T>
    void object(const T& v) {
        Writer inner{out};
        out += '{';
        T::fields(v, inner);
        out += '}';
    }
};

// Walks a payload's fields and reads those present in `node`; the first problem goes to `error`.
struct Reader {
    const YAML::Node& node;
    std::string& error;

    YAML::Node at(std::string_view name) const { return node[std::string(name)]; }
    void fail(std::string_view name, std::string_view expected, const YAML::Node& n) {
        if (!error.empty()) return;
        error = fmt::format("field '{}': expected {}, found '{}'", name, expected, n.IsScalar() ? n.Scalar() : "a structure");
    }
    template <typename T>
    void scalar(std::string_view name, T& v, std::string_view expected) {
        const YAML::Node n = at(name);
        if (!n || n.IsNull()) return;
        try {
            if (!n.IsScalar()) throw YAML::Exception(YAML::Mark::null_mark(), "not a scalar");
            v = n.as<T>();
        } catch (const YAML::Exception&) {
            fail(name, expected, n);
        }
    }
    void operator()(std::string_view name, std::string& v) { scalar(name, v, "a string"); }
    void operator()(std::string_view name, bool& v) { scalar(name, v, "true or false"); }
    template <typename T>
        requires std::is_integral_v<T>
    void operator()(std::string_view name, T& v) {
        scalar(name, v, "a whole number");
    }
    template <typename E>
        requires std::is_enum_v<E>
    void operator()(std::string_view name, E& v) {
        std::string text;
        scalar(name, text, "a name");
        if (text.empty()) return;
        if (auto parsed = trace::parseEnum<E>(text)) v = *parsed;
        else fail(name, "one of the names in docs/trace-schema-v1.json", at(name));
    }
    template <typename T>
        requires(!HasFields<T>)
    void operator()(std::string_view name, std::optional<T>& v) {
        const YAML::Node n = at(name);
        if (!n || n.IsNull()) return;
        T value{};
        scalar(name, value, "a whole number or null");
        v = value;
    }
    template <HasFields T>
    void operator()(std::string_view name, std::optional<T>& v) {
        const YAML::Node n = at(name);
        if (!n || n.IsNull()) return;
        if (!n.IsMap()) return fail(name, "an object", n);
        T value{};
        Reader inner{n, error};
        T::fields(value, inner);
        v = std::move(value);
    }
    void operator()(std::string_view name, std::vector<std::string>& v) {
        const YAML::Node n = at(name);
        if (!n) return;
        if (!n.IsSequence()) return fail(name, "a list of strings", n);
        for (const auto& item : n) {
            if (!item.IsScalar()) return fail(name, "a list of strings", item);
            v.push_back(item.Scalar());
        }
    }
    void operator()(std::string_view name, std::vector<std::uint64_t>& v) {
        const YAML::Node n = at(name);
        if (!n) return;
        if (!n.IsSequence()) return fail(name, "a list of whole numbers", n);
        for (const auto& item : n) {
            try {
                if (!item.IsScalar()) throw YAML::Exception(YAML::Mark::null_mark(), "not a scalar");
                v.push_back(item.as<std::uint64_t>());
            } catch (const YAML::Exception&) {
                return fail(name, "a list of whole numbers", item);
            }
        }
    }
    template <HasFields T>
    void operator()(std::string_view name, T& v) {
        const YAML::Node n = at(name);
        if (!n) return;
        if (!n.IsMap()) return fail(name, "an object", n);
        Reader inner{n, error};
        T::fields(v, inner);
    }
    template <HasFields T>
    void operator()(std::string_view name, std::vector<T>& v) {
        const YAML::Node n = at(name);
        if (!n) return;
        if (!n.IsSequence()) return fail(name, "a list of objects", n);
        for (const auto& item : n) {
            if (!item.IsMap()) return fail(name, "a list of objects", item);
            T value{};
            Reader inner{item, error};
            T::fields(value, inner);
            v.push_back(std::move(value));
        }
    }
};

template <typename T>
bool read(const YAML::Node& data, trace::Payload& payload, std::string& error) {
    T value{};
    if (data && data.IsMap()) {
        Reader r{data, error};
        T::fields(value, r);
    } else if (data && !data.IsNull()) {
        error = "field 'data': expected an object";
    }
    payload = std::move(value);
    return error.empty();
}

}  // namespace

void jsonString(std::string& out, std::string_view s) {
    out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        switch (c) {
        case '"': out += "\\\""; continue;
        case '\\': out += "\\\\"; continue;
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\t': out += "\\t"; continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7f) {
            out += fmt::format("\\u{:04x}", c);
        } else if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            std::size_t len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
            bool valid = len > 0 && i + len <= s.size();
            for (std::size_t k = 1; valid && k < len; ++k) valid = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
            if (valid) {
                out.append(s.substr(i, len));
                i += len - 1;
            } else {
                out += fmt::format("\\u{:04x}", c);
            }
        }
    }
    out += '"';
}

void appendPayloadJson(std::string& out, const trace::Payload& payload) {
    std::visit(
        [&](const auto& p) {
            using T = std::decay_t<decltype(p)>;
            if constexpr (!std::is_same_v<T, std::monostate>) {
                out += ",\"data\":";
                Writer w{out};
                w.object(p);
            }
        },
        payload);
}

bool readPayloadJson(const YAML::Node& data, trace::EventKind kind, trace::Payload& payload, std::string& error) {
    using trace::EventKind;
    switch (kind) {
    case EventKind::ConnectionOpened:
    case EventKind::ConnectionClosed: return read<trace::Connection>(data, payload, error);
    case EventKind::StoreChanged: return read<trace::StoreChange>(data, payload, error);
    case EventKind::QueueAction: return read<trace::QueueAction>(data, payload, error);
    case EventKind::RelayHop: return read<trace::RelayHop>(data, payload, error);
    case EventKind::FaultInjected: return read<trace::Fault>(data, payload, error);
    case EventKind::DnsQuery: return read<trace::DnsQuery>(data, payload, error);
    case EventKind::DnsAnswer: return read<trace::DnsAnswer>(data, payload, error);
    case EventKind::TlsHandshake: return read<trace::TlsHandshake>(data, payload, error);
    case EventKind::Handover: return read<trace::Handover>(data, payload, error);
    case EventKind::Note:
        // Schema 1.1: an engine explanation names its catalogue entry ("note"); else scenario narration (1.0).
        if (data && data.IsMap() && data["note"]) return read<trace::Explanation>(data, payload, error);
        if (data) return read<trace::Narration>(data, payload, error);
        return true;
    case EventKind::Error:
        // Schema 1.2: the errors catalogue's id and its arguments; a 1.0/1.1 error has only its `text`.
        if (data && data.IsMap() && data["error"]) return read<trace::ErrorReport>(data, payload, error);
        return true;
    case EventKind::Expectation:
        // Schema 1.3: the typed facts; a 1.0-1.2 expectation has only its `text` and `detail`.
        if (data && data.IsMap() && data["expect"]) return read<trace::ExpectationCheck>(data, payload, error);
        return true;
    case EventKind::Line:
    case EventKind::StateChanged:
    case EventKind::TlsRecords: return true;
    }
    return true;
}

std::optional<int> schemaMajor(std::string_view version) {
    const auto dot = version.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 >= version.size()) return std::nullopt;
    int major = 0, minor = 0;
    const char* end = version.data() + dot;
    if (auto [p, ec] = std::from_chars(version.data(), end, major); ec != std::errc{} || p != end) return std::nullopt;
    const char* mend = version.data() + version.size();
    if (auto [p, ec] = std::from_chars(version.data() + dot + 1, mend, minor); ec != std::errc{} || p != mend)
        return std::nullopt;
    return major;
}

}  // namespace mailsim::sim
