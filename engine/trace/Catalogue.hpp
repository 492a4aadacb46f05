// The shape every typed-text catalogue of the trace shares (Errors.cpp: ErrorId -> sentence; Notes.cpp: NoteId ->
// explanation): a row per id, in the enum's order, with one renderer per language over the same typed arguments.
// Contract: row i holds id i; `inOrder` says how many leading rows keep that promise (the catalogues' tests compare it
// with the enum's size, so a row out of place or missing fails a test rather than showing the wrong sentence).
#pragma once

#include "i18n/Lang.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>

namespace mailsim::trace {

template <class Id, class Args>
struct CatalogueRow {
    using Render = std::string (*)(const Args&);
    Id id;
    Render en;
    Render zh;
};

// The sentence of `id` in `lang`, or nullopt when the catalogue has no row for it (a newer trace than this program).
template <class Id, class Args, std::size_t N>
std::optional<std::string> renderRow(const std::array<CatalogueRow<Id, Args>, N>& rows, Id id, const Args& args,
                                     i18n::Lang lang) {
    const auto i = static_cast<std::size_t>(id);
    if (i >= N) return std::nullopt;
    return lang == i18n::Lang::Zh ? rows[i].zh(args) : rows[i].en(args);
}

// How many leading rows hold their own index's id.
template <class Id, class Args, std::size_t N>
constexpr std::size_t inOrder(const std::array<CatalogueRow<Id, Args>, N>& rows) {
    for (std::size_t i = 0; i < N; ++i)
        if (static_cast<std::size_t>(rows[i].id) != i) return i;
    return N;
}

}  // namespace mailsim::trace
