// The typed payloads of trace events in JSON, written by the transcript's JSON (formatJson, `mailsim export --format
// json`, `mailsim serve --trace-out`) and read back by the live reader (LiveTrace.cpp).
//
// Contract
// - Schema version kTraceSchemaVersion ("MAJOR.MINOR", docs/trace-schema-v1.json): a reader accepts any minor version
//   of its major version (new optional fields) and refuses another major version with a clear message.
// - An event's payload is the object "data", its fields as trace/Trace.hpp lists them (`fields`), enums by name;
//   strings that are empty, numbers that are 0, false, nulls and empty lists are left out (the reader's defaults).
#pragma once

#include "trace/Trace.hpp"

#include <string>
#include <string_view>
#include <yaml-cpp/yaml.h>

namespace mailsim::sim {

// 1.1: a note's explanation payload; 1.2: an error's report, a connect failure's `failure`/`failureHost`; 1.3: the
// POP3 user agent's error ids and an expectation's typed facts; 1.4: an error's typed store failure (`store`) (each
// additive)
inline constexpr std::string_view kTraceSchemaVersion = "1.4";
inline constexpr int kTraceSchemaMajor = 1;

// Appends `s` as a JSON string. Invalid UTF-8 bytes are escaped as \u00XX so the document stays valid.
void jsonString(std::string& out, std::string_view s);

// Appends ,"data":{...} for a typed payload; nothing for std::monostate.
void appendPayloadJson(std::string& out, const trace::Payload& payload);

// Reads the "data" object of an event of `kind` into `payload` (the struct the kind carries). False with `error` set
// when a field has the wrong type or an enum an unknown name.
bool readPayloadJson(const YAML::Node& data, trace::EventKind kind, trace::Payload& payload, std::string& error);

// "1.0" -> 1; nullopt when the text is not MAJOR.MINOR.
std::optional<int> schemaMajor(std::string_view version);

}  // namespace mailsim::sim
