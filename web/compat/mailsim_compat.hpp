// The C++ library pieces the project uses that Debian 12's emscripten (3.1.6, libc++ 14) does not have yet, for the
// browser build only (force-included by web/WebDeps.cmake; the desktop build, GCC 12 + libstdc++, never sees this
// file): the std::ranges algorithms (libc++ 15). std::expected (libc++ 16) is not here: the browser build shares the
// fuzz build's <expected> (tests/fuzz/compat/expected). The part switches itself off when the library has the real
// thing, so a newer emscripten uses its own.
//
// Contract: the subset of the standard interface the project calls, with the standard's semantics (C++20
// [algorithms] ranges overloads with projections). Iterator results of range overloads are plain iterators (never
// std::ranges::dangling); no caller passes a temporary range and keeps its iterator.
#pragma once

#include <algorithm>
#include <concepts>
#include <functional>
#include <iterator>
#include <ranges>
#include <type_traits>
#include <utility>

#if defined(_LIBCPP_VERSION) && _LIBCPP_VERSION < 15000 && !defined(MAILSIM_COMPAT_RANGES)
#define MAILSIM_COMPAT_RANGES 1
namespace std::ranges {
namespace mailsim_compat {

template <class I, class O>
struct in_out_result {
    I in;
    O out;
};

template <class I, class S>
constexpr iter_difference_t<I> distanceTo(I first, S last) {
    if constexpr (sized_sentinel_for<S, I>) {
        return last - first;
    } else {
        iter_difference_t<I> n = 0;
        for (; first != last; ++first) ++n;
        return n;
    }
}
template <class I, class S>
constexpr I advanceTo(I first, S last) {
    if constexpr (is_same_v<I, S>) {
        return last;
    } else {
        while (first != last) ++first;
        return first;
    }
}

// Each algorithm: the iterator-pair overload does the work; the range overload forwards to it (the parameters are
// spelled out, so `{}` may stand for a defaulted comparator as in the standard).
#define MAILSIM_RANGE_VALUE(NAME)                                                                                \
    template <range R, class T, class Proj = identity>                                                         \
    constexpr auto operator()(R&& r, const T& value, Proj proj = {}) const {                                   \
        return (*this)(ranges::begin(r), ranges::end(r), value, std::ref(proj));                               \
    }
#define MAILSIM_RANGE_PRED(NAME)                                                                                 \
    template <range R, class Pred, class Proj = identity>                                                      \
    constexpr auto operator()(R&& r, Pred pred, Proj proj = {}) const {                                        \
        return (*this)(ranges::begin(r), ranges::end(r), std::ref(pred), std::ref(proj));                      \
    }
#define MAILSIM_RANGE_COMP(NAME)                                                                                 \
    template <range R, class Comp = ranges::less, class Proj = identity>                                       \
    constexpr auto operator()(R&& r, Comp comp = {}, Proj proj = {}) const {                                   \
        return (*this)(ranges::begin(r), ranges::end(r), std::ref(comp), std::ref(proj));                      \
    }
#define MAILSIM_RANGE_VALUE_COMP(NAME)                                                                           \
    template <range R, class T, class Comp = ranges::less, class Proj = identity>                              \
    constexpr auto operator()(R&& r, const T& value, Comp comp = {}, Proj proj = {}) const {                   \
        return (*this)(ranges::begin(r), ranges::end(r), value, std::ref(comp), std::ref(proj));               \
    }

struct find_fn {
    template <input_iterator I, sentinel_for<I> S, class T, class Proj = identity>
    constexpr I operator()(I first, S last, const T& value, Proj proj = {}) const {
        for (; first != last; ++first)
            if (std::invoke(proj, *first) == value) return first;
        return first;
    }
    MAILSIM_RANGE_VALUE(find)
};
struct find_if_fn {
    template <input_iterator I, sentinel_for<I> S, class Pred, class Proj = identity>
    constexpr I operator()(I first, S last, Pred pred, Proj proj = {}) const {
        for (; first != last; ++first)
            if (std::invoke(pred, std::invoke(proj, *first))) return first;
        return first;
    }
    MAILSIM_RANGE_PRED(find_if)
};
struct all_of_fn {
    template <input_iterator I, sentinel_for<I> S, class Pred, class Proj = identity>
    constexpr bool operator()(I first, S last, Pred pred, Proj proj = {}) const {
        for (; first != last; ++first)
            if (!std::invoke(pred, std::invoke(proj, *first))) return false;
        return true;
    }
    MAILSIM_RANGE_PRED(all_of)
};
struct any_of_fn {
    template <input_iterator I, sentinel_for<I> S, class Pred, class Proj = identity>
    constexpr bool operator()(I first, S last, Pred pred, Proj proj = {}) const {
        return find_if_fn{}(first, last, std::ref(pred), std::ref(proj)) != last;
    }
    MAILSIM_RANGE_PRED(any_of)
};
struct none_of_fn {
    template <input_iterator I, sentinel_for<I> S, class Pred, class Proj = identity>
    constexpr bool operator()(I first, S last, Pred pred, Proj proj = {}) const {
        return find_if_fn{}(first, last, std::ref(pred), std::ref(proj)) == last;
    }
    MAILSIM_RANGE_PRED(none_of)
};
struct count_fn {
    template <input_iterator I, sentinel_for<I> S, class T, class Proj = identity>
    constexpr iter_difference_t<I> operator()(I first, S last, const T& value, Proj proj = {}) const {
        iter_difference_t<I> n = 0;
        for (; first != last; ++first)
            if (std::invoke(proj, *first) == value) ++n;
        return n;
    }
    MAILSIM_RANGE_VALUE(count)
};
struct count_if_fn {
    template <input_iterator I, sentinel_for<I> S, class Pred, class Proj = identity>
    constexpr iter_difference_t<I> operator()(I first, S last, Pred pred, Proj proj = {}) const {
        iter_difference_t<I> n = 0;
        for (; first != last; ++first)
            if (std::invoke(pred, std::invoke(proj, *first))) ++n;
        return n;
    }
    MAILSIM_RANGE_PRED(count_if)
};
struct equal_fn {
    template <input_iterator I1, sentinel_for<I1> S1, input_iterator I2, sentinel_for<I2> S2,
              class Pred = ranges::equal_to, class Proj1 = identity, class Proj2 = identity>
    constexpr bool operator()(I1 f1, S1 l1, I2 f2, S2 l2, Pred pred = {}, Proj1 p1 = {}, Proj2 p2 = {}) const {
        for (; f1 != l1 && f2 != l2; ++f1, ++f2)
            if (!std::invoke(pred, std::invoke(p1, *f1), std::invoke(p2, *f2))) return false;
        return f1 == l1 && f2 == l2;
    }
    template <range R1, range R2, class Pred = ranges::equal_to, class Proj1 = identity, class Proj2 = identity>
    constexpr bool operator()(R1&& r1, R2&& r2, Pred pred = {}, Proj1 p1 = {}, Proj2 p2 = {}) const {
        return (*this)(ranges::begin(r1), ranges::end(r1), ranges::begin(r2), ranges::end(r2), std::ref(pred),
                       std::ref(p1), std::ref(p2));
    }
};
struct search_fn {
    template <forward_iterator I1, sentinel_for<I1> S1, forward_iterator I2, sentinel_for<I2> S2,
              class Pred = ranges::equal_to, class Proj1 = identity, class Proj2 = identity>
    constexpr subrange<I1> operator()(I1 f1, S1 l1, I2 f2, S2 l2, Pred pred = {}, Proj1 p1 = {},
                                      Proj2 p2 = {}) const {
        for (;; ++f1) {
            I1 a = f1;
            I2 b = f2;
            for (;; ++a, ++b) {
                if (b == l2) return {f1, a};
                if (a == l1) return {a, a};
                if (!std::invoke(pred, std::invoke(p1, *a), std::invoke(p2, *b))) break;
            }
        }
    }
    template <range R1, range R2, class Pred = ranges::equal_to, class Proj1 = identity, class Proj2 = identity>
    constexpr auto operator()(R1&& r1, R2&& r2, Pred pred = {}, Proj1 p1 = {}, Proj2 p2 = {}) const {
        return (*this)(ranges::begin(r1), ranges::end(r1), ranges::begin(r2), ranges::end(r2), std::ref(pred),
                       std::ref(p1), std::ref(p2));
    }
};
struct lower_bound_fn {
    template <forward_iterator I, sentinel_for<I> S, class T, class Comp = ranges::less, class Proj = identity>
    constexpr I operator()(I first, S last, const T& value, Comp comp = {}, Proj proj = {}) const {
        auto n = distanceTo(first, last);
        while (n > 0) {
            auto half = n / 2;
            I mid = std::next(first, half);
            if (std::invoke(comp, std::invoke(proj, *mid), value)) {
                first = ++mid;
                n -= half + 1;
            } else {
                n = half;
            }
        }
        return first;
    }
    MAILSIM_RANGE_VALUE_COMP(lower_bound)
};
struct upper_bound_fn {
    template <forward_iterator I, sentinel_for<I> S, class T, class Comp = ranges::less, class Proj = identity>
    constexpr I operator()(I first, S last, const T& value, Comp comp = {}, Proj proj = {}) const {
        // The first element e with comp(value, proj(e)): lower_bound with the comparison reversed and negated.
        return lower_bound_fn{}(first, last, value,
                                [&](const auto& e, const T& v) { return !std::invoke(comp, v, e); }, std::ref(proj));
    }
    MAILSIM_RANGE_VALUE_COMP(upper_bound)
};
struct binary_search_fn {
    template <forward_iterator I, sentinel_for<I> S, class T, class Comp = ranges::less, class Proj = identity>
    constexpr bool operator()(I first, S last, const T& value, Comp comp = {}, Proj proj = {}) const {
        I it = lower_bound_fn{}(first, last, value, std::ref(comp), std::ref(proj));
        return it != last && !std::invoke(comp, value, std::invoke(proj, *it));
    }
    MAILSIM_RANGE_VALUE_COMP(binary_search)
};
struct is_sorted_fn {
    template <forward_iterator I, sentinel_for<I> S, class Comp = ranges::less, class Proj = identity>
    constexpr bool operator()(I first, S last, Comp comp = {}, Proj proj = {}) const {
        if (first == last) return true;
        for (I next = std::next(first); next != last; ++first, ++next)
            if (std::invoke(comp, std::invoke(proj, *next), std::invoke(proj, *first))) return false;
        return true;
    }
    MAILSIM_RANGE_COMP(is_sorted)
};
struct sort_fn {
    template <random_access_iterator I, sentinel_for<I> S, class Comp = ranges::less, class Proj = identity>
    constexpr I operator()(I first, S last, Comp comp = {}, Proj proj = {}) const {
        I end = advanceTo(first, last);
        std::sort(first, end, [&](auto&& a, auto&& b) {
            return std::invoke(comp, std::invoke(proj, a), std::invoke(proj, b));
        });
        return end;
    }
    MAILSIM_RANGE_COMP(sort)
};
struct stable_sort_fn {
    template <random_access_iterator I, sentinel_for<I> S, class Comp = ranges::less, class Proj = identity>
    I operator()(I first, S last, Comp comp = {}, Proj proj = {}) const {
        I end = advanceTo(first, last);
        std::stable_sort(first, end, [&](auto&& a, auto&& b) {
            return std::invoke(comp, std::invoke(proj, a), std::invoke(proj, b));
        });
        return end;
    }
    MAILSIM_RANGE_COMP(stable_sort)
};
struct transform_fn {
    template <input_iterator I, sentinel_for<I> S, weakly_incrementable O, class F, class Proj = identity>
    constexpr in_out_result<I, O> operator()(I first, S last, O out, F op, Proj proj = {}) const {
        for (; first != last; ++first, ++out) *out = std::invoke(op, std::invoke(proj, *first));
        return {first, out};
    }
    template <range R, weakly_incrementable O, class F, class Proj = identity>
    constexpr auto operator()(R&& r, O out, F op, Proj proj = {}) const {
        return (*this)(ranges::begin(r), ranges::end(r), std::move(out), std::ref(op), std::ref(proj));
    }
};
struct replace_fn {
    template <input_iterator I, sentinel_for<I> S, class T1, class T2, class Proj = identity>
    constexpr I operator()(I first, S last, const T1& old, const T2& now, Proj proj = {}) const {
        for (; first != last; ++first)
            if (std::invoke(proj, *first) == old) *first = now;
        return first;
    }
    template <range R, class T1, class T2, class Proj = identity>
    constexpr auto operator()(R&& r, const T1& old, const T2& now, Proj proj = {}) const {
        return (*this)(ranges::begin(r), ranges::end(r), old, now, std::ref(proj));
    }
};
struct fill_fn {
    template <class O, sentinel_for<O> S, class T>
    constexpr O operator()(O first, S last, const T& value) const {
        for (; first != last; ++first) *first = value;
        return first;
    }
    template <range R, class T>
    constexpr auto operator()(R&& r, const T& value) const {
        return (*this)(ranges::begin(r), ranges::end(r), value);
    }
};
// ranges::unique: the range [first, result) without consecutive equal elements; returns the tail to erase.
struct unique_fn {
    template <forward_iterator I, sentinel_for<I> S, class Eq = ranges::equal_to, class Proj = identity>
    constexpr ranges::subrange<I> operator()(I first, S last, Eq eq = {}, Proj proj = {}) const {
        I end = advanceTo(first, last);
        I out = std::unique(first, end, [&](auto&& a, auto&& b) {
            return std::invoke(eq, std::invoke(proj, a), std::invoke(proj, b));
        });
        return {out, end};
    }
    template <range R, class Eq = ranges::equal_to, class Proj = identity>
    constexpr auto operator()(R&& r, Eq eq = {}, Proj proj = {}) const {
        return (*this)(ranges::begin(r), ranges::end(r), std::ref(eq), std::ref(proj));
    }
};
#undef MAILSIM_RANGE_VALUE
#undef MAILSIM_RANGE_PRED
#undef MAILSIM_RANGE_COMP
#undef MAILSIM_RANGE_VALUE_COMP

}  // namespace mailsim_compat

inline constexpr mailsim_compat::find_fn find{};
inline constexpr mailsim_compat::find_if_fn find_if{};
inline constexpr mailsim_compat::all_of_fn all_of{};
inline constexpr mailsim_compat::any_of_fn any_of{};
inline constexpr mailsim_compat::none_of_fn none_of{};
inline constexpr mailsim_compat::count_fn count{};
inline constexpr mailsim_compat::count_if_fn count_if{};
inline constexpr mailsim_compat::equal_fn equal{};
inline constexpr mailsim_compat::search_fn search{};
inline constexpr mailsim_compat::lower_bound_fn lower_bound{};
inline constexpr mailsim_compat::upper_bound_fn upper_bound{};
inline constexpr mailsim_compat::binary_search_fn binary_search{};
inline constexpr mailsim_compat::is_sorted_fn is_sorted{};
inline constexpr mailsim_compat::sort_fn sort{};
inline constexpr mailsim_compat::stable_sort_fn stable_sort{};
inline constexpr mailsim_compat::transform_fn transform{};
inline constexpr mailsim_compat::replace_fn replace{};
inline constexpr mailsim_compat::fill_fn fill{};
inline constexpr mailsim_compat::unique_fn unique{};

}  // namespace std::ranges
#endif  // libc++ < 15: std::ranges algorithms
