// IDNA2008 (RFC 5890-5893) through libidn2: both forms of a domain, shown side by side in the trace's words.
#include "trace/Render.hpp"
#include "trace/Trace.hpp"
#include "util/Idna.hpp"

#include <catch2/catch.hpp>

using namespace mailsim;

TEST_CASE("idna: U-labels and A-labels convert both ways (RFC 5891)", "[idna][utf8]") {
    auto f = util::domainForms("例子.中国");
    REQUIRE(f);
    CHECK(f->international);
    CHECK(f->alabel == "xn--fsqu00a.xn--fiqs8s");
    CHECK(f->ulabel == "例子.中国");
    auto back = util::domainForms("xn--fsqu00a.xn--fiqs8s");  // given as A-labels: decoded
    REQUIRE(back);
    CHECK(back->ulabel == "例子.中国");
    CHECK(back->alabel == "xn--fsqu00a.xn--fiqs8s");
    auto mixed = util::domainForms("mail.清华大学.cn");
    REQUIRE(mixed);
    CHECK(mixed->alabel == "mail.xn--xkry9kk1bz66a.cn");
    CHECK(util::domainForms("Bücher.DE")->alabel == "xn--bcher-kva.de");  // UTS #46 maps case first
    auto ascii = util::domainForms("cesoo.com");
    REQUIRE(ascii);
    CHECK_FALSE(ascii->international);
    CHECK(ascii->alabel == "cesoo.com");
    CHECK(util::asciiDomain("张三.中国") == "xn--ehq892b.xn--fiqs8s");
}

TEST_CASE("idna: invalid names are refused with libidn2's reason, and stay as written where shown", "[idna][utf8]") {
    std::string why;
    CHECK_FALSE(util::domainForms("xn--zz.com", &why));  // not valid punycode
    CHECK_FALSE(why.empty());
    why.clear();
    CHECK_FALSE(util::domainForms("a\xff.com", &why));  // not UTF-8
    CHECK_FALSE(why.empty());
    CHECK_FALSE(util::domainForms(std::string("a\0b.中国", 10)));
    CHECK(util::asciiDomain("a\xff.com") == "a\xff.com");
    CHECK(util::domainBothForms("a\xff.com") == "a\xff.com");
}

TEST_CASE("idna: both forms side by side, the given one first; the domain of an address", "[idna][utf8]") {
    CHECK(util::domainBothForms("例子.中国") == "例子.中国 (xn--fsqu00a.xn--fiqs8s)");
    CHECK(util::domainBothForms("xn--fsqu00a.xn--fiqs8s") == "xn--fsqu00a.xn--fiqs8s (例子.中国)");
    CHECK(util::domainBothForms("cesoo.com") == "cesoo.com");
    CHECK(util::domainOfAddress("<张三@例子.中国>") == "例子.中国");
    CHECK(util::domainOfAddress("rose@cesoo.com") == "cesoo.com");
    CHECK(util::domainOfAddress("postmaster").empty());
}

TEST_CASE("idna: the trace's DNS events show the A-label beside the U-label, in both languages", "[idna][utf8]") {
    trace::Trace t;
    trace::Recorder world(&t, trace::kNoSession);
    auto q = world.dnsQuery(1, {"mail.cesoo.com", trace::DnsType::MX, "例子.中国"}, trace::kNoCause);
    world.dnsAnswer(2, {"mail.cesoo.com", trace::DnsType::MX, "例子.中国", {}, true, false}, q);
    CHECK(trace::renderEvent(t, t.at(0)) == "   [dns] mail.cesoo.com asks: MX 例子.中国 (xn--fsqu00a.xn--fiqs8s)");
    CHECK(trace::renderEvent(t, t.at(1)) == "   [dns] answer: NXDOMAIN: 例子.中国 (xn--fsqu00a.xn--fiqs8s) does not exist");
    CHECK(trace::renderEvent(t, t.at(1), {.lang = i18n::Lang::Zh}) ==
          "   [DNS] 应答：NXDOMAIN：例子.中国 (xn--fsqu00a.xn--fiqs8s) 不存在");
}
