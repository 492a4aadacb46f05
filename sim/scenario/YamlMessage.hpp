// yaml-cpp's message for a document it could not read (`YAML::Exception::msg`), typed: yaml-cpp writes a fixed set of
// English constants (`YAML::ErrorMsg`, yaml-cpp/exceptions.h), a few of them followed by a value ("unknown escape
// character: q"). A diagnostic carries the message as a `YamlMessage` and renders it per language.
//
// Contract
// - `classifyYamlMessage(msg)` finds the constant by comparing `msg` with each constant (equal, or the constant
//   followed by its value for the constants that take one); `rest` is that value. A message that is none of them is
//   `Other`, with `rest` = the whole message.
// - `yamlMessageText(m, En)` is yaml-cpp's message exactly as it was; `Zh` is the catalogue's sentence (the value as
//   written), or for `Other` a Chinese frame quoting yaml-cpp's English.
// - The catalogue (YamlMessage.cpp) has a row for each constant the reader (scanner and parser, YAML::Load) raises
//   and each one the node API raises while the loader reads the tree; the emitter's are not needed.
#pragma once

#include "i18n/Lang.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace mailsim::sim {

enum class YamlProblem : std::uint8_t {
    // directives (%YAML, %TAG)
    YamlDirectiveArgs, YamlVersion, YamlMajorVersion, RepeatedYamlDirective, TagDirectiveArgs, RepeatedTagDirective,
    // tags, anchors, aliases
    CharInTagHandle, TagWithNoSuffix, EndOfVerbatimTag, MultipleTags, MultipleAnchors, MultipleAliases, AliasContent,
    AliasNotFound, AnchorNotFound, CharInAlias, CharInAnchor, AmbiguousAnchor, UnknownAnchor,
    // structure
    EndOfMap, EndOfMapFlow, EndOfSeq, EndOfSeqFlow, UnknownToken, TabInIndentation, FlowEnd, BlockEntry, MapKey,
    MapValue,
    // scalars
    InvalidHex, InvalidUnicode, InvalidEscape, DocInScalar, EofInScalar, CharInScalar, ZeroIndentInBlock, CharInBlock,
    // the node API (a tree read the wrong way)
    InvalidNode, InvalidScalar, KeyNotFound, BadConversion, BadDereference, BadSubscript, BadPushback, BadInsert,
    // none of the above: yaml-cpp's English is quoted
    Other,
};
inline constexpr std::size_t kYamlProblemCount = static_cast<std::size_t>(YamlProblem::Other);  // rows in the catalogue

struct YamlMessage {
    YamlProblem problem = YamlProblem::Other;
    std::string rest;  // the value after the constant; for Other, the whole message

    friend bool operator==(const YamlMessage&, const YamlMessage&) = default;
};

YamlMessage classifyYamlMessage(std::string_view msg);
std::string yamlMessageText(const YamlMessage& message, i18n::Lang lang);

// One row per YamlProblem but Other, in enum order (row i is problem i; tests check it): yaml-cpp's constant, what surrounds the value (if the constant
// takes one: "<constant><lead>value<tail>"), and the Chinese sentence ({0}: the value).
struct YamlMessageRow {
    YamlProblem id;
    std::string_view constant;
    bool takesValue;
    std::string_view lead;
    std::string_view tail;
    std::string_view zh;
};
std::span<const YamlMessageRow> yamlMessageTexts();

}  // namespace mailsim::sim
