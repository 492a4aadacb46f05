// gui_viewmodel, issue #14: the GUI's string table (gui/Strings.*) in both languages with the checker test_i18n uses
// for the mailsim command line (tests/I18nCheck.hpp): every row has English and Chinese with the same printf
// conversions, no Chinese text keeps an English sentence, what mailsim-gui prints is translated (not copied), and the
// Chinese manual names every option of the English one.
#include "I18nCheck.hpp"
#include "Strings.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <regex>
#include <set>
#include <string>
#include <vector>

using namespace mailsim::gui;
using mailsim::testing::englishRun;
using mailsim::testing::hasCjk;

namespace {

// The printf conversions of a text in order ("%s", "%zu", "%d"); "%%" is no conversion.
std::vector<std::string> conversions(const char* text) {
    static const std::regex conversion(R"(%(%|[-+ #0-9.]*(hh|h|ll|l|z|j|t)?[diouxXfFeEgGcsp]))");
    std::vector<std::string> found;
    const std::string s(text);
    for (auto it = std::sregex_iterator(s.begin(), s.end(), conversion); it != std::sregex_iterator(); ++it)
        if (it->str() != "%%") found.push_back(it->str());
    return found;
}

// The options a manual names ("--screenshot", "--sandbox-send").
std::set<std::string> optionsOf(const char* manual) {
    static const std::regex option(R"(--[a-z][a-z-]*)");
    std::set<std::string> found;
    const std::string s(manual);
    for (auto it = std::sregex_iterator(s.begin(), s.end(), option); it != std::sregex_iterator(); ++it)
        found.insert(it->str());
    return found;
}

// Restores the message language a test changed.
struct MessageLanguage {
    explicit MessageLanguage(Language language) { setMessageLanguage(language); }
    ~MessageLanguage() { setMessageLanguage(Language::English); }
};

}  // namespace

TEST_CASE("every row of the GUI's string table is in English and Chinese, no English sentence left", "[i18n]") {
    REQUIRE(uiTexts().size() == static_cast<std::size_t>(S::Count));
    for (const UiText& t : uiTexts()) {
        INFO("row " << static_cast<int>(t.id) << ": " << t.en);
        REQUIRE(t.en != nullptr);
        REQUIRE(t.zh != nullptr);
        CHECK(std::strlen(t.en) > 0);
        CHECK(std::strlen(t.zh) > 0);
        CHECK(englishRun(t.zh).empty());
        CHECK(conversions(t.zh) == conversions(t.en));
        // What mailsim-gui prints: a copy is no translation ("mailsim-gui：%s" differs by its full-width colon).
        if (t.id >= kFirstPrinted) CHECK(std::strcmp(t.zh, t.en) != 0);
    }
    // The checks themselves: a conversion the translation lost, an English sentence in a Chinese text.
    CHECK(conversions("only one scenario file (got '%s' and '%s')") != conversions("只能给出一个场景文件（%s）"));
    CHECK(conversions("100%% of %zu") == std::vector<std::string>{"%zu"});
    CHECK(englishRun("--show：需要 panel name to bring forward") == "panel name to bring");
}

TEST_CASE("mailsim-gui's manual and messages in Chinese", "[i18n]") {
    const char* en = tr(S::Usage, Language::English);
    const char* zh = tr(S::Usage, Language::Chinese);
    CHECK(std::string(zh).starts_with("mailsim-gui - 逐步查看"));
    CHECK(std::string(zh).find("退出状态") != std::string::npos);
    CHECK(std::string(en).find("exit status") != std::string::npos);
    // Options stay as typed: the Chinese manual names the same options as the English one.
    CHECK(optionsOf(zh) == optionsOf(en));
    CHECK(optionsOf(en).contains("--sandbox-send"));
    // Printed rows are never drawn: their characters stay out of the font atlas.
    CHECK(std::string(chineseUiText()).find("逐步查看") == std::string::npos);
    CHECK(std::string(allUiText()).find("off-screen framebuffer") == std::string::npos);
    CHECK(std::string(allUiText()).find("Pause at state changes") != std::string::npos);

    {
        MessageLanguage zhMessages(Language::Chinese);
        CHECK(say(S::OptUnknownFmt, "--bogus") == "未知选项“--bogus”");
        CHECK(say(S::NoFramebufferFmt, 1280, 800) == "无法创建 1280x800 的离屏帧缓冲区");
        CHECK(say(S::ServeStartedMaildirFmt, 42, "/tmp/x") ==
              "已启动 mailsim serve（pid 42），目录 /tmp/x（trace.jsonl、serve.log、maildir/）");
        CHECK(say(S::NoDisplay).starts_with("mailsim-gui：没有显示器"));
        CHECK(hasCjk(say(S::HeadlessInstead)));
        CHECK(messageLang() == mailsim::i18n::Lang::Zh);
        CHECK(uiLanguage() == Language::English);  // the UI's language is another setting
    }
    CHECK(say(S::OptUnknownFmt, "--bogus") == "unknown option '--bogus'");
    CHECK(say(S::OptFrames) == "--frames needs a positive number");
}
