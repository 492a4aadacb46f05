// yaml-cpp's messages in Chinese (YamlMessage.hpp): one row per YAML::ErrorMsg constant the loader can meet.
#include "sim/scenario/YamlMessage.hpp"

#include <yaml-cpp/exceptions.h>

#include <array>

namespace mailsim::sim {
namespace {

using Y = YamlProblem;
namespace M = YAML::ErrorMsg;

// {0}: the value as written, quoted (" 'q'"), or nothing when the message has none. Terms as in lessons/glossary.md;
// YAML's own: 映射 (mapping), 列表 (sequence), 标量 (scalar), 锚点 / 别名 (anchor / alias), 标签 (tag).
const std::array<YamlMessageRow, kYamlProblemCount> kRows{{
    {Y::YamlDirectiveArgs, M::YAML_DIRECTIVE_ARGS, false, "", "", "%YAML 指令必须恰好有一个参数"},
    {Y::YamlVersion, M::YAML_VERSION, true, "", "", "YAML 版本号{0}有误"},
    {Y::YamlMajorVersion, M::YAML_MAJOR_VERSION, false, "", "", "YAML 主版本号太大"},
    {Y::RepeatedYamlDirective, M::REPEATED_YAML_DIRECTIVE, false, "", "", "%YAML 指令重复出现"},
    {Y::TagDirectiveArgs, M::TAG_DIRECTIVE_ARGS, false, "", "", "%TAG 指令必须恰好有两个参数"},
    {Y::RepeatedTagDirective, M::REPEATED_TAG_DIRECTIVE, false, "", "", "%TAG 指令重复出现"},
    {Y::CharInTagHandle, M::CHAR_IN_TAG_HANDLE, false, "", "", "标签句柄中有非法字符"},
    {Y::TagWithNoSuffix, M::TAG_WITH_NO_SUFFIX, false, "", "", "标签句柄后面缺少后缀"},
    {Y::EndOfVerbatimTag, M::END_OF_VERBATIM_TAG, false, "", "", "找不到逐字标签结尾的 '>'"},
    {Y::MultipleTags, M::MULTIPLE_TAGS, false, "", "", "同一个节点不能有多个标签"},
    {Y::MultipleAnchors, M::MULTIPLE_ANCHORS, false, "", "", "同一个节点不能有多个锚点"},
    {Y::MultipleAliases, M::MULTIPLE_ALIASES, false, "", "", "同一个节点不能有多个别名"},
    {Y::AliasContent, M::ALIAS_CONTENT, false, "", "", "别名不能带任何内容，标签也不行"},
    {Y::AliasNotFound, M::ALIAS_NOT_FOUND, false, "", "", "'*' 后面缺少别名"},
    {Y::AnchorNotFound, M::ANCHOR_NOT_FOUND, false, "", "", "'&' 后面缺少锚点名"},
    {Y::CharInAlias, M::CHAR_IN_ALIAS, false, "", "", "别名中有非法字符"},
    {Y::CharInAnchor, M::CHAR_IN_ANCHOR, false, "", "", "锚点名中有非法字符"},
    {Y::AmbiguousAnchor, M::AMBIGUOUS_ANCHOR, false, "", "", "同一个别名不能指向多个节点"},
    {Y::UnknownAnchor, M::UNKNOWN_ANCHOR, false, "", "", "引用的锚点没有定义"},
    {Y::EndOfMap, M::END_OF_MAP, false, "", "", "找不到映射的结尾（缩进对齐了吗？）"},
    {Y::EndOfMapFlow, M::END_OF_MAP_FLOW, false, "", "", "找不到 '{' 开始的映射结尾的 '}'"},
    {Y::EndOfSeq, M::END_OF_SEQ, false, "", "", "找不到列表的结尾（缩进对齐了吗？）"},
    {Y::EndOfSeqFlow, M::END_OF_SEQ_FLOW, false, "", "", "找不到 '[' 开始的列表结尾的 ']'"},
    {Y::UnknownToken, M::UNKNOWN_TOKEN, false, "", "", "无法识别的记号"},
    {Y::TabInIndentation, M::TAB_IN_INDENTATION, false, "", "", "缩进中有制表符（YAML 只能用空格缩进）"},
    {Y::FlowEnd, M::FLOW_END, false, "", "", "这里不能出现 ']' 或 '}'（多写了一个？）"},
    {Y::BlockEntry, M::BLOCK_ENTRY, false, "", "", "这里不能出现列表项 '- '（缩进对齐了吗？）"},
    {Y::MapKey, M::MAP_KEY, false, "", "", "这里不能出现映射的键"},
    {Y::MapValue, M::MAP_VALUE, false, "", "", "这里不能出现映射的值（多了一个 ':'，或者缩进没有对齐？）"},
    {Y::InvalidHex, M::INVALID_HEX, false, "", "", "十六进制数中有错误的字符"},
    {Y::InvalidUnicode, M::INVALID_UNICODE, true, "", "", "无效的 Unicode 码点{0}"},
    {Y::InvalidEscape, M::INVALID_ESCAPE, true, "", "", "未知的转义字符{0}"},
    {Y::DocInScalar, M::DOC_IN_SCALAR, false, "", "", "标量中出现了文档标记（'---' 或 '...'）"},
    {Y::EofInScalar, M::EOF_IN_SCALAR, false, "", "", "标量还没有结束，文件就结束了（引号没有闭合？）"},
    {Y::CharInScalar, M::CHAR_IN_SCALAR, false, "", "", "标量中有非法字符"},
    {Y::ZeroIndentInBlock, M::ZERO_INDENT_IN_BLOCK, false, "", "", "块标量的缩进不能设为 0"},
    {Y::CharInBlock, M::CHAR_IN_BLOCK, false, "", "", "块标量中出现了意外的字符"},
    {Y::InvalidNode, M::INVALID_NODE, false, "", "", "无效的节点"},
    {Y::InvalidScalar, M::INVALID_SCALAR, false, "", "", "无效的标量"},
    {Y::KeyNotFound, M::KEY_NOT_FOUND, true, ": ", "", "找不到键{0}"},
    {Y::BadConversion, M::BAD_CONVERSION, false, "", "", "值的类型不对，无法转换"},
    {Y::BadDereference, M::BAD_DEREFERENCE, false, "", "", "无效的解引用"},
    {Y::BadSubscript, M::BAD_SUBSCRIPT, true, " (key: \"", "\")", "单个值不是映射，不能按键{0}取值"},
    {Y::BadPushback, M::BAD_PUSHBACK, false, "", "", "只能往列表中追加"},
    {Y::BadInsert, M::BAD_INSERT, false, "", "", "只能往映射中插入"},
}};

}  // namespace

std::span<const YamlMessageRow> yamlMessageTexts() { return kRows; }

YamlMessage classifyYamlMessage(std::string_view msg) {
    for (const auto& row : kRows)
        if (msg == row.constant) return {row.id, {}};
    for (const auto& row : kRows) {
        if (!row.takesValue || !msg.starts_with(row.constant)) continue;
        std::string_view rest = msg.substr(row.constant.size());
        if (!rest.starts_with(row.lead) || !rest.ends_with(row.tail) || rest.size() < row.lead.size() + row.tail.size())
            continue;
        rest = rest.substr(row.lead.size(), rest.size() - row.lead.size() - row.tail.size());
        return {row.id, std::string(rest)};
    }
    return {YamlProblem::Other, std::string(msg)};
}

std::string yamlMessageText(const YamlMessage& m, i18n::Lang lang) {
    const auto i = static_cast<std::size_t>(m.problem);
    if (i >= kRows.size()) {  // Other
        return lang == i18n::Lang::Zh ? "YAML 解析器报告：“" + m.rest + "”" : m.rest;
    }
    const YamlMessageRow& row = kRows[i];
    if (lang == i18n::Lang::En) {
        if (!row.takesValue || m.rest.empty()) return std::string(row.constant);
        return std::string(row.constant) + std::string(row.lead) + m.rest + std::string(row.tail);
    }
    std::string out(row.zh);
    if (auto at = out.find("{0}"); at != std::string::npos) out.replace(at, 3, m.rest.empty() ? "" : " '" + m.rest + "'");
    return out;
}

}  // namespace mailsim::sim
