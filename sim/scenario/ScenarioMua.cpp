// The scenario loader, part two: the user-agent (`mua`) steps: send (with MIME attachments), pop3-fetch and the
// imap-* actions. The loader's shape and the rest of the format are in Scenario.cpp and ScenarioLoader.hpp.
#include "sim/scenario/Scenario.hpp"
#include "sim/scenario/ScenarioLoader.hpp"

#include "auth/UserDirectory.hpp"
#include "message/Codecs.hpp"
#include "message/HeaderText.hpp"
#include "smtp/SmtpServerSession.hpp"
#include "smtp/SmtpSyntax.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <fmt/format.h>
#include <set>
#include <yaml-cpp/yaml.h>


namespace mailsim::sim::detail {

std::optional<MailSpec> Loader::loadMail(const YAML::Node& n) {
    MailSpec mail;
    mail.pos = pos(n);
    auto addresses = [&](const YAML::Node& list, const char* what, std::vector<std::string>& out) {
        for (auto& a : stringList(list, what)) {
            if (auto e = smtp::mailboxError(a, true)) error(list, D::RecipientAddressBad, {What::key(what), a, *e});
            out.push_back(std::move(a));
        }
    };
    if (auto v = n["to"]) addresses(v, "to", mail.to);
    if (auto v = n["cc"]) addresses(v, "cc", mail.cc);
    if (mail.to.empty() && mail.cc.empty()) {
        error(n, D::MessageNeedsRecipients);
        return std::nullopt;
    }
    if (auto v = n["subject"]) mail.subject = headerText(v, "subject").value_or("");
    if (auto v = n["body"]) mail.body = string(v, "body").value_or("");
    if (auto v = n["html"]) mail.html = string(v, "html").value_or("");
    if (auto list = n["attachments"]) {
        if (!list.IsSequence()) {
            error(list, D::AttachmentsNotList);
        } else {
            for (const auto& item : list)
                if (auto a = loadAttachment(item)) mail.attachments.push_back(std::move(*a));
        }
    }
    if (auto e = n["expect"]) {
        if (!e.IsMap()) {
            error(e, D::ExpectNotMap);
        } else {
            for (const auto& kv : e) {
                std::string who = auth::UserDirectory::canonical(kv.first.Scalar());
                std::string what = kv.second.IsScalar() ? kv.second.Scalar() : "";
                RecipientOutcome outcome;
                if (what == "accepted" || what == "delivered") outcome = RecipientOutcome::Delivered;
                else if (what == "deferred") outcome = RecipientOutcome::Deferred;
                else if (what == "refused") outcome = RecipientOutcome::Refused;
                else {
                    error(kv.second, D::OutcomeBad,
                          {what, didYouMean(what, {"accepted", "delivered", "deferred", "refused"})});
                    continue;
                }
                bool known = false;
                for (const auto& r : mail.to) known = known || auth::UserDirectory::canonical(r) == who;
                for (const auto& r : mail.cc) known = known || auth::UserDirectory::canonical(r) == who;
                if (!known) error(kv.first, D::NotRecipient, {who});
                mail.expect.emplace_back(who, outcome);
            }
        }
    }
    return mail;
}

std::optional<AttachmentSpec> Loader::loadAttachment(const YAML::Node& n) {
    static const std::vector<std::string> keys{"name", "content_type", "text", "base64"};
    if (!checkMap(n, Noun::Attachment, keys)) return std::nullopt;
    AttachmentSpec a;
    a.pos = pos(n);
    if (!n["name"]) {
        error(n, D::AttachmentNeedsName);
        return std::nullopt;
    }
    a.name = string(n["name"], "name").value_or("");
    if (a.name.empty() || std::ranges::any_of(a.name, [](unsigned char c) { return c < 32 || c == 127; }))
        error(n["name"], D::AttachmentNameBad);
    if (static_cast<bool>(n["text"]) == static_cast<bool>(n["base64"])) {
        error(n, D::AttachmentTextOrBase64);
        return std::nullopt;
    }
    if (auto v = n["text"]) {
        a.bytes = string(v, "text").value_or("");
        a.contentType = "text/plain";
    } else {
        std::string encoded = string(n["base64"], "base64").value_or("");
        bool clean = true;
        a.bytes = message::decodeBase64(encoded, &clean);
        if (!clean) error(n["base64"], D::Base64Bad);
        a.contentType = "application/octet-stream";
    }
    if (auto v = n["content_type"]) {
        std::string type = string(v, "content_type").value_or("");
        auto parsed = message::parseContentType(type);
        if (!parsed.valid || type.find_first_of("\r\n") != std::string::npos || !message::isAscii(type) ||
            parsed.isMultipart() || parsed.isMessage())
            error(v, D::ContentTypeBad, {type});
        a.contentType = type;
    }
    return a;
}

bool Loader::loadMua(const YAML::Node& step, Step& out) {
    if (!checkMap(step, Noun::MuaStep, {"mua"})) return false;
    const YAML::Node m = step["mua"];
    std::string action = m.IsMap() && m["action"] ? string(m["action"], "action").value_or("") : "";
    if (action == "pop3-fetch") return loadFetch(m, out);
    static const std::vector<std::string> imapActions{"imap-summary", "imap-search", "imap-move",   "imap-sync",
                                                      "imap-flag",    "imap-create", "imap-rename", "imap-delete"};
    if (std::ranges::find(imapActions, action) != imapActions.end()) return loadImapMua(m, action, out);
    static const std::vector<std::string> keys{"action", "from", "server", "sender", "messages", "to", "cc", "subject", "body",
                                               "html", "attachments", "expect", "user", "password", "auth", "tls"};
    if (!checkMap(m, "mua", keys)) return false;
    if (action != "send") {
        error(m["action"] ? m["action"] : m, D::MuaActionBad,
              {action, didYouMean(action, {"send", "pop3-fetch", "imap-summary", "imap-search", "imap-move", "imap-sync",
                                           "imap-flag", "imap-create", "imap-rename", "imap-delete"})});
        return false;
    }
    MuaSendStep mua;
    if (!m["from"] || !m["server"] || !m["sender"]) {
        error(m, D::MuaSendNeeds);
        return false;
    }
    mua.sender = string(m["sender"], "sender").value_or("");
    if (auto e = smtp::mailboxError(mua.sender, true)) error(m["sender"], D::AddressBad, {What::key("sender"), mua.sender, *e});
    if (!loadConnection(m["from"], m["server"], mua)) return false;
    loadClientTls(m, mua);
    if (auto v = m["user"]) mua.user = auth::UserDirectory::canonical(string(v, "user").value_or(""));
    if (auto v = m["password"]) mua.password = string(v, "password").value_or("");
    if (auto v = m["auth"]) {
        mua.authMechanism = smtp::toUpper(string(v, "auth").value_or(""));
        if (mua.authMechanism != "PLAIN" && mua.authMechanism != "LOGIN" && mua.authMechanism != "CRAM-MD5")
            error(v, D::SmtpAuthBad, {mua.authMechanism, didYouMean(auth::UserDirectory::canonical(mua.authMechanism),
                                                                    {"plain", "login", "cram-md5"})});
    }
    if ((m["password"] || m["auth"]) && !m["user"]) error(m, D::PasswordNeedsUser);
    if (auto list = m["messages"]) {
        if (m["to"] || m["cc"] || m["subject"] || m["body"] || m["html"] || m["attachments"] || m["expect"]) {
            error(list, D::MessagesAndDirect);
            return false;
        }
        if (!list.IsSequence() || list.size() == 0) {
            error(list, D::MessagesNotList);
            return false;
        }
        for (const auto& item : list) {
            if (!checkMap(item, Noun::Message, {"to", "cc", "subject", "body", "html", "attachments", "expect"})) continue;
            if (auto mail = loadMail(item)) mua.messages.push_back(std::move(*mail));
        }
    } else if (auto mail = loadMail(m)) {
        mua.messages.push_back(std::move(*mail));
    }
    out.what = std::move(mua);
    return true;
}

bool Loader::loadImapMua(const YAML::Node& m, const std::string& action, Step& out) {
    bool folderAction = action == "imap-create" || action == "imap-rename" || action == "imap-delete";
    std::vector<std::string> keys{"action", "from", "server", "user", "password", "expect", "tls"};
    if (!folderAction) keys.push_back("mailbox");  // the folder actions select nothing
    std::vector<std::string> expects;
    if (action == "imap-summary") keys.push_back("open"), expects = {"listed", "opened"};
    if (action == "imap-search") keys.insert(keys.end(), {"field", "text"}), expects = {"found"};
    if (action == "imap-move") keys.insert(keys.end(), {"field", "text", "target"}), expects = {"found", "moved"};
    if (action == "imap-sync") keys.push_back("flag_offline"), expects = {"new", "vanished", "changed", "uploaded"};
    if (action == "imap-flag")
        keys.insert(keys.end(), {"uids", "field", "text", "add", "remove"}), expects = {"found", "flagged"};
    if (folderAction) keys.push_back("folder"), expects = {"ok"};
    if (action == "imap-rename") keys.push_back("target");
    if (!checkMap(m, What(Noun::MuaAction, action), keys)) return false;
    MuaImapStep imap;
    imap.action = action;
    imap.protocol = "imap";
    if (!m["from"] || !m["server"] || !m["user"]) {
        error(m, D::MuaLoginNeeds, {action});
        return false;
    }
    imap.user = auth::UserDirectory::canonical(string(m["user"], "user").value_or(""));
    m_pendingHostRefs.emplace_back(m["user"], "@" + imap.user);
    if (auto p = m["password"]) imap.password = string(p, "password").value_or("");
    if (auto v = m["mailbox"]) imap.mailbox = string(v, "mailbox").value_or("INBOX");
    auto numbers = [&](const YAML::Node& n, const char* what, std::vector<std::uint32_t>& into) {
        if (!n.IsSequence()) return error(n, D::NumbersNotList, {What::key(what)});
        for (const auto& x : n)
            if (auto v = integer(x, what, 1, 1'000'000)) into.push_back(static_cast<std::uint32_t>(*v));
    };
    if (auto v = m["open"]) numbers(v, "open", imap.open);
    if (auto v = m["flag_offline"]) numbers(v, "flag_offline", imap.flagOffline);
    if (auto v = m["uids"]) numbers(v, "uids", imap.uids);
    if (action == "imap-flag") {
        if (m["uids"].IsDefined() == m["text"].IsDefined())
            error(m, D::FlagUidsOrText);
        if (!m["add"] && !m["remove"])
            error(m, D::FlagAddOrRemove);
        auto flags = [&](const YAML::Node& n, const char* what, std::vector<std::string>& into) {
            static const std::vector<std::string> known{"seen", "answered", "flagged", "deleted", "draft"};
            if (!n.IsSequence() || n.size() == 0)
                return error(n, D::FlagsNotList, {What::key(what)});
            for (const auto& x : n) {
                std::string f = string(x, what).value_or("");
                if (f.starts_with('\\')) f.erase(0, 1);
                for (char& c : f) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                if (std::ranges::find(known, f) == known.end()) {
                    error(x, D::NotSystemFlag, {f, didYouMean(f, known)});
                    continue;
                }
                f[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(f[0])));
                into.push_back("\\" + f);
            }
        };
        if (auto v = m["add"]) flags(v, "add", imap.addFlags);
        if (auto v = m["remove"]) flags(v, "remove", imap.removeFlags);
    }
    if (folderAction) {
        if (!m["folder"]) return error(m, D::FolderActionNeedsFolder, {action}), false;
        imap.folder = string(m["folder"], "folder").value_or("");
        if (action == "imap-rename" && !m["target"])
            return error(m, D::RenameNeedsTarget), false;
        if (action == "imap-rename") imap.target = string(m["target"], "target").value_or("");
    }
    if (action == "imap-search" || action == "imap-move" || (action == "imap-flag" && m["text"])) {
        if (!m["text"]) return error(m, D::SearchNeedsText, {action}), false;
        imap.text = string(m["text"], "text").value_or("");
        if (auto v = m["field"]) {
            imap.field = string(v, "field").value_or("TEXT");
            for (char& c : imap.field) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            static const std::vector<std::string> fields{"FROM", "TO", "CC", "BCC", "SUBJECT", "BODY", "TEXT"};
            if (std::ranges::find(fields, imap.field) == fields.end())
                error(v, D::SearchFieldBad, {imap.field, didYouMean(imap.field, fields)});
        }
    }
    if (action == "imap-move") {
        if (!m["target"]) return error(m, D::MoveNeedsTarget), false;
        imap.target = string(m["target"], "target").value_or("");
    }
    if (auto e = m["expect"]) {
        imap.expectPos = pos(e);
        if (checkMap(e, "expect", expects)) {
            for (const auto& k : expects) {
                auto v = e[k];
                if (v && k == "ok") imap.expect[k] = boolean(v, "ok").value_or(true) ? 1 : 0;
                else if (v) imap.expect[k] = static_cast<std::size_t>(integer(v, What::key(k), 0, 1'000'000).value_or(0));
            }
        }
    }
    if (!loadConnection(m["from"], m["server"], imap)) return false;
    loadClientTls(m, imap);
    out.what = std::move(imap);
    return true;
}

void Loader::loadClientTls(const YAML::Node& m, ConnectionSpec& c) {
    auto v = m["tls"];
    if (!v) return;
    std::string text = string(v, "tls").value_or("");
    auto mode = util::parseClientTls(text);
    if (!mode || *mode == util::ClientTls::Implicit)
        return error(v, D::ClientTlsBad, {text, didYouMean(text, {"starttls", "opportunistic", "none"})});
    c.tls = *mode;
}

bool Loader::loadFetch(const YAML::Node& m, Step& out) {
    static const std::vector<std::string> keys{"action", "from", "server", "user", "password", "mode", "auth", "expect", "tls"};
    if (!checkMap(m, What(Noun::MuaAction, "pop3-fetch"), keys)) return false;
    MuaFetchStep fetch;
    fetch.protocol = "pop3";
    if (!m["from"] || !m["server"] || !m["user"]) {
        error(m, D::MuaLoginNeeds, {std::string("pop3-fetch")});
        return false;
    }
    fetch.user = auth::UserDirectory::canonical(string(m["user"], "user").value_or(""));
    m_pendingHostRefs.emplace_back(m["user"], "@" + fetch.user);
    if (auto p = m["password"]) fetch.password = string(p, "password").value_or("");
    if (auto v = m["mode"]) {
        std::string mode = string(v, "mode").value_or("");
        if (mode == "delete") fetch.mode = FetchMode::Delete;
        else if (mode == "keep") fetch.mode = FetchMode::Keep;
        else error(v, D::Pop3ModeBad, {mode, didYouMean(mode, {"delete", "keep"})});
    }
    if (auto v = m["auth"]) {
        std::string a = string(v, "auth").value_or("");
        if (a == "user") fetch.auth = FetchAuth::User;
        else if (a == "apop") fetch.auth = FetchAuth::Apop;
        else error(v, D::Pop3AuthBad, {a, didYouMean(a, {"user", "apop"})});
    }
    if (auto e = m["expect"]) {
        fetch.expectPos = pos(e);
        if (checkMap(e, "expect", {"fetched"})) {
            if (auto f = e["fetched"]) fetch.expectFetched = static_cast<std::size_t>(integer(f, "fetched", 0, 1'000'000).value_or(0));
            else error(e, D::ExpectNeedsFetched);
        }
    }
    if (!loadConnection(m["from"], m["server"], fetch)) return false;
    loadClientTls(m, fetch);
    out.what = std::move(fetch);
    return true;
}

}  // namespace mailsim::sim::detail
