// Header text (engine/message/HeaderText.*, Address.*): RFC 2047 encoded words, RFC 2231 parameters, Content-Type,
// RFC 5322 address lists and dates.
#include "message/Address.hpp"
#include "message/HeaderText.hpp"
#include "message/MimeBuilder.hpp"

#include <catch2/catch.hpp>

using namespace mailsim::message;

TEST_CASE("RFC 2047: B and Q words in UTF-8, GB2312 and GBK", "[message][2047]") {
    CHECK(decodeHeaderText("=?gb2312?B?1tDOxA==?=") == "中文");
    CHECK(decodeHeaderText("=?GBK?Q?=D6=D0=CE=C4?=") == "中文");
    CHECK(decodeHeaderText("=?GBK?B?u+HS6bzN0qo=?=") == "会议纪要");
    CHECK(decodeHeaderText("=?UTF-8?B?5Lya6K6u57qq6KaB?=") == "会议纪要");
    CHECK(decodeHeaderText("=?utf-8?q?caf=C3=A9_au_lait?=") == "café au lait");
    CHECK(decodeHeaderText("=?iso-8859-1?q?caf=E9?=") == "café");
    // RFC 2231 language suffix on the charset (RFC 2231 5).
    CHECK(decodeHeaderText("=?US-ASCII*EN?Q?Keith_Moore?=") == "Keith Moore");
    CHECK(decodeHeaderText("Plain subject") == "Plain subject");
}

TEST_CASE("RFC 2047 6.2: white space between adjacent encoded words is dropped", "[message][2047]") {
    // The examples of RFC 2047 section 8.
    CHECK(decodeHeaderText("(=?ISO-8859-1?Q?a?=)") == "(a)");
    CHECK(decodeHeaderText("(=?ISO-8859-1?Q?a?= b)") == "(a b)");
    CHECK(decodeHeaderText("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)") == "(ab)");
    CHECK(decodeHeaderText("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)") == "(ab)");
    CHECK(decodeHeaderText("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)") == "(ab)");
    CHECK(decodeHeaderText("(=?ISO-8859-1?Q?a_b?=)") == "(a b)");
    CHECK(decodeHeaderText("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)") == "(a b)");
    // A character split across two words (a common encoder bug) still decodes: bytes are joined first.
    CHECK(decodeHeaderText("=?UTF-8?Q?=E4=BC?= =?UTF-8?Q?=9A=E8=AE=AE?=") == "会议");
    CHECK(decodeHeaderText("=?gbk?B?u+HS?= =?gbk?B?6Q==?=") == "会议");
    CHECK(decodeHeaderText("Re: =?UTF-8?B?5Lit5paH?= and more") == "Re: 中文 and more");
}

TEST_CASE("RFC 2047: unknown charsets and broken words stay as written", "[message][2047]") {
    CHECK(decodeHeaderText("=?x-unknown?B?1tDOxA==?=") == "=?x-unknown?B?1tDOxA==?=");
    CHECK(decodeHeaderText("a =?x-unknown?Q?b?= =?x-unknown?Q?c?= d") == "a =?x-unknown?Q?b?= =?x-unknown?Q?c?= d");
    CHECK(decodeHeaderText("=?utf-8?X?abc?=") == "=?utf-8?X?abc?=");
    CHECK(decodeHeaderText("=?utf-8?Q?never closed") == "=?utf-8?Q?never closed");
    CHECK(decodeHeaderText("=??Q?a?=") == "=??Q?a?=");
    // Raw 8-bit text that is not UTF-8 becomes U+FFFD rather than passing invalid UTF-8 on.
    CHECK(decodeHeaderText("\xd6\xd0") == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("RFC 2231: continuations, charset and language", "[message][2231]") {
    auto p = parseParameters("; filename*=utf-8''%E4%B8%AD.txt");
    REQUIRE(p.find("filename"));
    CHECK(p.get("filename") == "中.txt");
    CHECK(p.find("filename")->extended);
    CHECK(p.find("filename")->wireValue == "utf-8''%E4%B8%AD.txt");
    // RFC 2231 section 3 and 4.1 examples.
    auto q = parseParameters("; URL*0=\"ftp://\";\r\n URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"");
    CHECK(q.get("url") == "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar");
    auto r = parseParameters("; title*0*=us-ascii'en'This%20is%20even%20more%20;\r\n title*1*=%2A%2A%2Afun%2A%2A%2A%20;"
                             " title*2=\"isn't it!\"");
    CHECK(r.get("title") == "This is even more ***fun*** isn't it!");
    CHECK(r.find("title")->language == "en");
    // Sections out of order, GBK charset, split inside a character.
    auto s = parseParameters("; filename*1*=%E6.txt; filename*0*=gbk''%B1%A8%B8");
    CHECK(s.get("filename") == "报告.txt");
    // Extended form wins over the plain one; the RFC 2047-in-quotes habit decodes too.
    CHECK(parseParameters("; filename=\"fallback.txt\"; filename*=utf-8''%E4%B8%AD").get("filename") == "中");
    CHECK(parseParameters("; name=\"=?UTF-8?B?5oql5ZGKLnR4dA==?=\"").get("name") == "报告.txt");
    // Junk is skipped without losing the rest.
    bool clean = true;
    auto t = parseParameters("; ; =x; junk; a*99999=1; charset=\"utf-8\"", &clean);
    CHECK(t.get("charset") == "utf-8");
    CHECK_FALSE(clean);
}

TEST_CASE("Content-Type and Content-Disposition", "[message][mime]") {
    auto ct = parseContentType("Multipart/Mixed; boundary=\"simple boundary\" (comment)");
    CHECK(ct.mimeType() == "multipart/mixed");
    CHECK(ct.params.get("boundary") == "simple boundary");
    auto bad = parseContentType("garbage");
    CHECK_FALSE(bad.valid);
    CHECK(bad.mimeType() == "text/plain");
    CHECK(bad.params.get("charset") == "us-ascii");
    auto cd = parseContentDisposition("ATTACHMENT; filename*0*=utf-8''%E6%8A%A5%E5%91%8A; filename*1=.txt");
    CHECK(cd.type == "attachment");
    CHECK(cd.params.get("filename") == "报告.txt");
}

TEST_CASE("address lists: names, groups, quoted local parts, comments", "[message][address]") {
    auto list = parseAddressList("\"Rose, the one\" <rose@cesoo.com>, Mike Smith <mike@cesoo.com>,\r\n jack@cesoo.com (Jack)");
    auto m = list.mailboxes();
    REQUIRE(m.size() == 3);
    CHECK(m[0].name == "Rose, the one");
    CHECK(m[0].address() == "rose@cesoo.com");
    CHECK(m[1].name == "Mike Smith");
    CHECK(m[2].name == "Jack");
    CHECK(m[2].address() == "jack@cesoo.com");
    CHECK(list.clean);

    auto g = parseAddressList("Friends: a@x.org, \"b c\"@y.org;, undisclosed-recipients:;");
    REQUIRE(g.entries.size() == 2);
    CHECK(g.entries[0].group);
    CHECK(g.entries[0].groupName == "Friends");
    REQUIRE(g.entries[0].members.size() == 2);
    CHECK(g.entries[0].members[1].local == "b c");
    CHECK(g.entries[0].members[1].address() == "\"b c\"@y.org");
    CHECK(g.entries[1].members.empty());

    auto cn = parseAddressList("=?GBK?B?wO7D9w==?= <liming@example.cn>, =?UTF-8?B?5p2O5piO?= <li@x.cn>");
    REQUIRE(cn.mailboxes().size() == 2);
    CHECK(cn.mailboxes()[0].displayName() == "李明");
    CHECK(cn.mailboxes()[1].displayName() == "李明");

    auto route = parseAddressList("<@relay.org,@other.org:joe@example.org>");
    REQUIRE(route.mailboxes().size() == 1);
    CHECK(route.mailboxes()[0].route == "@relay.org,@other.org");
    CHECK(route.mailboxes()[0].address() == "joe@example.org");

    auto bare = parseAddressList("rose");
    REQUIRE(bare.mailboxes().size() == 1);
    CHECK(bare.mailboxes()[0].local == "rose");
    CHECK(bare.mailboxes()[0].domain.empty());
    CHECK_FALSE(bare.clean);

    auto broken = parseAddressList("<<<>>>,,; @@ \"unterminated");
    CHECK_FALSE(broken.clean);
}

TEST_CASE("an address list is capped at kMaxAddressesPerField", "[message][address][limits]") {
    std::string value;
    for (int i = 0; i < 5000; ++i) value += "u" + std::to_string(i) + "@x.org, ";
    auto list = parseAddressList(value);
    CHECK(list.mailboxes().size() == kMaxAddressesPerField);
    CHECK(list.truncated);
}

TEST_CASE("dates: RFC 5322 3.3 and obsolete forms to UTC", "[message][date]") {
    const std::int64_t t = 1709542800LL * 1'000'000;  // 2024-03-04T09:00:00Z
    CHECK(parseDate("Mon, 04 Mar 2024 09:00:00 +0000") == t);
    CHECK(parseDate("4 Mar 2024 17:00:00 +0800") == t);
    CHECK(parseDate("Mon, 4 Mar 2024 04:00 -0500 (EST)") == t);
    CHECK(parseDate("Mon, 04 Mar 24 01:00:00 PST") == t);              // two-digit year, zone name
    CHECK(parseDate("Mon, 04 Mar 124 09:00:00 GMT") == t);             // three-digit year
    CHECK(parseDate("Mon , 04 Mar 2024 09 : 00 : 00 Z") == t);         // CFWS in obsolete places
    CHECK(parseDate("Mon, 04 Mar 2024 09:00:00 A") == t);              // military zone: -0000
    CHECK(parseDate("Fri, 21 Nov 1997 09:55:06 -0600") == 880127706LL * 1'000'000);  // RFC 5322 A.1.1
    CHECK(parseDate("Thu, 13 Feb 1969 23:32:54 -0330") == -27723426LL * 1'000'000);   // RFC 5322 A.1.3 (before 1970)
    CHECK(parseDate("29 Feb 2023 00:00:00 +0000") == std::nullopt);
    CHECK(parseDate("32 Jan 2024 00:00:00 +0000") == std::nullopt);
    CHECK(parseDate("04 Foo 2024 09:00:00 +0000") == std::nullopt);
    CHECK(parseDate("yesterday") == std::nullopt);
    CHECK(parseDate("") == std::nullopt);
}

TEST_CASE("header encoders: RFC 2047 words fit 78 columns and decode back", "[message][encode]") {
    CHECK(encodeHeaderText("Dinner tonight?", 9) == "Dinner tonight?");
    CHECK(encodeHeaderText("周末聚会", 9) == "=?UTF-8?B?5ZGo5pyr6IGa5Lya?=");
    CHECK(encodeHeaderText("café au lait", 9) == "=?UTF-8?Q?caf=C3=A9_au_lait?=");
    const std::string long_ = "会议纪要：二〇二四年三月四日项目进度、预算、人员安排以及下一阶段的工作计划讨论结果汇总";
    std::string enc = encodeHeaderText(long_, 9).value();
    std::string field = "Subject: " + enc;
    for (std::size_t start = 0; start < field.size();) {
        std::size_t end = field.find("\r\n", start);
        if (end == std::string::npos) end = field.size();
        CHECK(end - start <= 78);
        start = end + 2;
    }
    CHECK(enc.find("\r\n ") != std::string::npos);
    CHECK(decodeHeaderText(enc) == long_);
    // Text that looks like an encoded word is itself encoded, so it reads back as written.
    CHECK(decodeHeaderText(encodeHeaderText("=?utf-8?Q?x?=", 9).value()) == "=?utf-8?Q?x?=");
    CHECK(encodePhrase("Mike", 6) == "Mike");
    CHECK(encodePhrase("Smith, Mike", 6) == "\"Smith, Mike\"");
    CHECK(formatMailbox("李明", "li@x.cn", 6) == "=?UTF-8?B?5p2O5piO?= <li@x.cn>");
    auto back = parseAddressList(formatMailbox("Dr. \"Q\" Ä", "q@x.org", 4).value()).mailboxes();
    REQUIRE(back.size() == 1);
    CHECK(back[0].displayName() == "Dr. \"Q\" Ä");
}

TEST_CASE("RFC 2231 parameter encoding splits long names into sections", "[message][encode]") {
    CHECK(formatParameter("filename", "report.txt") == ";\r\n filename=\"report.txt\"");
    CHECK(formatParameter("filename", "报告.txt") == ";\r\n filename*=utf-8''%E6%8A%A5%E5%91%8A.txt");
    std::string name = "二〇二四年三月四日会议纪要与项目进度报告（最终版）.txt";
    std::string p = formatParameter("filename", name);
    CHECK(p.find("filename*0*=utf-8''") != std::string::npos);
    CHECK(p.find("filename*1*=") != std::string::npos);
    for (std::size_t start = 0; start < p.size();) {
        std::size_t end = p.find("\r\n", start);
        if (end == std::string::npos) end = p.size();
        CHECK(end - start <= 78);
        start = end + 2;
    }
    CHECK(parseContentDisposition("attachment" + p).params.get("filename") == name);
}
