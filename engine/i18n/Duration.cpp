#include "i18n/Duration.hpp"

#include <array>
#include <string_view>

namespace mailsim::i18n {
namespace {

struct Unit {
    std::int64_t seconds;
    std::string_view en;
    std::string_view zh;
};

// Days, hours, minutes, seconds. "分" alone reads as minutes inside a compound time ("1 小时 46 分 30 秒"); a duration
// that is only minutes reads better as "30 分钟", handled below.
constexpr std::array<Unit, 4> kUnits{{{86400, "d", "天"}, {3600, "h", "小时"}, {60, "min", "分"}, {1, "s", "秒"}}};

}  // namespace

std::string formatDuration(std::int64_t micros, Lang lang) {
    std::string out;
    if (micros < 0) {
        out = "-";
        micros = -micros;
    }
    if (micros > 0 && micros < 500'000) {  // under half a second: milliseconds, rounded, at least 1
        const std::int64_t ms = micros < 1000 ? 1 : (micros + 500) / 1000;
        return out + std::to_string(ms) + (lang == Lang::Zh ? " 毫秒" : " ms");
    }
    std::int64_t rest = (micros + 500'000) / 1'000'000;
    if (rest == 0) return out + (lang == Lang::Zh ? "0 秒" : "0 s");
    int parts = 0;
    std::string_view lastZh;
    for (const Unit& u : kUnits) {
        const std::int64_t n = rest / u.seconds;
        rest %= u.seconds;
        if (n == 0) continue;
        if (parts++) out += ' ';
        out += std::to_string(n);
        out += ' ';
        out += lang == Lang::Zh ? u.zh : u.en;
        lastZh = u.zh;
    }
    if (lang == Lang::Zh && parts == 1 && lastZh == "分") out += "钟";  // "30 分钟", not "30 分"
    return out;
}

std::string formatAfter(std::int64_t micros, Lang lang) {
    return lang == Lang::Zh ? formatDuration(micros, lang) + "后" : "in " + formatDuration(micros, lang);
}

std::string formatAt(std::int64_t micros, Lang lang) { return "t = " + formatDuration(micros, lang); }

}  // namespace mailsim::i18n
