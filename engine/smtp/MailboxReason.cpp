// The words of smtp::MailboxReason (MailboxReason.hpp): one row per problem, English (the wire words) and Chinese.
#include "smtp/MailboxReason.hpp"

#include <array>
#include <string_view>

namespace mailsim::smtp {
namespace {

using P = MailboxProblem;

constexpr std::array<MailboxProblemRow, kMailboxProblemCount> kRows{{
    {P::MoreThanOneAt, {"more than one '@'", "有不止一个 '@'"}},
    {P::NoAtDomain, {"no '@domain' (a mailbox is local-part@domain, RFC 5321 4.1.2)",
                     "缺少 '@域名'（邮箱地址的形式是“邮箱名@域名”，RFC 5321 4.1.2）"}},
    {P::LocalPartEmpty, {"empty local part before '@'", "'@' 前面的邮箱名是空的"}},
    {P::LocalPartTooLong, {"local part longer than 64 octets (RFC 5321 4.5.3.1.1)",
                           "邮箱名超过 64 字节（RFC 5321 4.5.3.1.1）"}},
    {P::QuotedUnterminated, {"unterminated quoted local part", "带引号的邮箱名缺少结尾的引号"}},
    {P::QuotedPairBad, {"bad quoted-pair in local part", "邮箱名中的反斜杠转义有误"}},
    {P::QuotedCharBad, {"character not allowed in quoted local part", "带引号的邮箱名中有不允许的字符"}},
    {P::EmptyAtom, {"empty atom in local part (leading or doubled '.')",
                    "邮箱名中有空的一段（以 '.' 开头，或连续两个 '.'）"}},
    {P::LocalPartCharBad, {"character '{0}' not allowed in local part", "邮箱名中不允许出现字符 '{0}'"}},
    {P::LocalPartEndsWithDot, {"local part ends with '.'", "邮箱名以 '.' 结尾"}},
    {P::NonAsciiNotOffered, {"non-ASCII {0} (SMTPUTF8 is not offered)", "{0}中有非 ASCII 字符（服务器没有提供 SMTPUTF8）"}},
    {P::NotUtf8, {"{0} is not valid UTF-8 (RFC 6531 3.3, RFC 3629)", "{0}不是有效的 UTF-8（RFC 6531 3.3，RFC 3629）"}},
    {P::DomainEmpty, {"empty domain after '@'", "'@' 后面的域名是空的"}},
    {P::DomainTooLong, {"domain longer than 255 octets (RFC 5321 4.5.3.1.2)", "域名超过 255 字节（RFC 5321 4.5.3.1.2）"}},
    {P::LiteralUnterminated, {"unterminated address literal", "地址字面量缺少结尾的 ']'"}},
    {P::LiteralCharBad, {"character not allowed in address literal (RFC 5321 4.1.3)",
                         "地址字面量中有不允许的字符（RFC 5321 4.1.3）"}},
    {P::LabelEmpty, {"empty label in domain", "域名中有空的标签"}},
    {P::LabelEdge, {"domain label must start and end with a letter or digit", "域名的每个标签都必须以字母或数字开头和结尾"}},
    {P::DomainCharBad, {"character '{0}' not allowed in domain", "域名中不允许出现字符 '{0}'"}},
}};

constexpr bool inOrder() {
    for (std::size_t i = 0; i < kRows.size(); ++i)
        if (static_cast<std::size_t>(kRows[i].id) != i) return false;
    return true;
}
static_assert(inOrder(), "the rows follow the enum's order");

// {0} of the row: the character or the part's name; every row uses at most one argument.
std::string argument(const MailboxReason& r, i18n::Lang lang) {
    switch (r.problem) {
    case P::LocalPartCharBad:
    case P::DomainCharBad: return std::string(1, r.character);
    case P::NonAsciiNotOffered:
    case P::NotUtf8:
        return r.part == MailboxPart::Domain ? i18n::pick(lang, "domain", "域名") : i18n::pick(lang, "local part", "邮箱名");
    default: return {};
    }
}

}  // namespace

std::span<const MailboxProblemRow> mailboxProblemTexts() { return kRows; }

std::string mailboxReasonText(const MailboxReason& reason, i18n::Lang lang) {
    const auto i = static_cast<std::size_t>(reason.problem);
    if (i >= kRows.size()) return {};
    const std::string_view text = kRows[i].text.in(lang);
    std::string out(text);
    if (auto at = out.find("{0}"); at != std::string::npos) out.replace(at, 3, argument(reason, lang));
    return out;
}

std::string mailboxReasonWords(const MailboxReason& reason) { return mailboxReasonText(reason, i18n::Lang::En); }

}  // namespace mailsim::smtp
