// Transfer encodings and charsets (engine/message/Codecs.*): RFC 2045 6.7 quoted-printable, 6.8 base64, iconv.
#include "message/Codecs.hpp"

#include <catch2/catch.hpp>
#include <random>

using namespace mailsim::message;

namespace {
// Feeds `in` to a streaming decoder in random pieces (seeded), as a network or a chunked reader would.
template <typename Decoder>
std::string decodeInChunks(std::string_view in, unsigned seed, bool* clean = nullptr) {
    std::mt19937 rng(seed);
    Decoder d;
    std::string out;
    for (std::size_t i = 0; i < in.size();) {
        std::size_t n = std::uniform_int_distribution<std::size_t>(1, 7)(rng);
        d.feed(in.substr(i, n), out);
        i += n;
    }
    d.finish(out);
    if (clean) *clean = d.clean();
    return out;
}
}  // namespace

TEST_CASE("base64 decodes clean input, garbage and missing padding", "[message][codec]") {
    bool clean = false;
    CHECK(decodeBase64("SGVsbG8sIFJvc2U=", &clean) == "Hello, Rose");
    CHECK(clean);
    CHECK(decodeBase64("SGVs\r\nbG8s\r\nIFJvc2U=\r\n", &clean) == "Hello, Rose");
    CHECK(clean);
    // Missing padding: decoded as far as it goes.
    CHECK(decodeBase64("SGVsbG8sIFJvc2U", &clean) == "Hello, Rose");
    CHECK(decodeBase64("SGk", &clean) == "Hi");
    // Garbage characters are skipped and reported.
    CHECK(decodeBase64("SGV!!sbG8*,sIF~Jvc2U=", &clean) == "Hello, Rose");
    CHECK_FALSE(clean);
    // A lone trailing sextet carries nothing.
    CHECK(decodeBase64("SGVsbA", &clean) == "Hell");
    CHECK(decodeBase64("SGVsbAx", &clean) == "Hell\x0c");
    CHECK(decodeBase64("SGVsbG8x" "Z", &clean) == "Hello1");
    CHECK_FALSE(clean);
    // Two blobs glued together (padding in the middle) both decode.
    CHECK(decodeBase64("SGk=SGk=") == "HiHi");
    CHECK(decodeBase64("") == "");
}

TEST_CASE("base64 encodes in 76-character CRLF lines and round-trips", "[message][codec]") {
    std::string bytes;
    for (int i = 0; i < 300; ++i) bytes += static_cast<char>(i * 7);
    std::string enc = encodeBase64(bytes);
    std::size_t start = 0;
    while (true) {
        std::size_t end = enc.find("\r\n", start);
        std::size_t len = (end == std::string::npos ? enc.size() : end) - start;
        CHECK(len <= 76);
        if (end == std::string::npos) break;
        CHECK(len == 76);
        start = end + 2;
    }
    CHECK(decodeBase64(enc) == bytes);
    for (unsigned seed = 1; seed < 20; ++seed) CHECK(decodeInChunks<Base64Decoder>(enc, seed) == bytes);
    CHECK(encodeBase64("Hi", 0) == "SGk=");
}

TEST_CASE("quoted-printable: soft line breaks, escapes, trailing white space", "[message][codec]") {
    bool clean = false;
    CHECK(decodeQuotedPrintable("Hello=\r\n, Rose=3D=3d\r\n", &clean) == "Hello, Rose==\r\n");
    CHECK(clean);
    // Rule 3: trailing white space is removed; white space before a soft break is content.
    CHECK(decodeQuotedPrintable("a  \r\nb \t=\r\nc") == "a\r\nb \tc");
    // Bare LF line ends are kept as they are.
    CHECK(decodeQuotedPrintable("x=\ny\n") == "xy\n");
    // UTF-8 through escapes.
    CHECK(decodeQuotedPrintable("=E4=B8=AD=E6=96=87") == "中文");
    // Malformed escapes stay literal and are reported.
    CHECK(decodeQuotedPrintable("100=% =ZZ =4", &clean) == "100=% =ZZ =4");
    CHECK_FALSE(clean);
    const std::string qp = "Hello=\r\n, Rose=3D=3d =E4=B8=AD\r\nline two  \r\nend=";
    for (unsigned seed = 1; seed < 30; ++seed) CHECK(decodeInChunks<QuotedPrintableDecoder>(qp, seed) == decodeQuotedPrintable(qp));
}

TEST_CASE("quoted-printable encoding keeps lines within 76 and round-trips", "[message][codec]") {
    std::string text = "Rose, 周六见! a=b\r\ntrailing space \r\n" + std::string(200, 'x') + "\r\n\ttab end\t";
    std::string enc = encodeQuotedPrintable(text);
    for (std::size_t start = 0; start < enc.size();) {
        std::size_t end = enc.find("\r\n", start);
        if (end == std::string::npos) end = enc.size();
        CHECK(end - start <= 76);
        std::string_view line(enc.data() + start, end - start);
        CHECK((line.empty() || (line.back() != ' ' && line.back() != '\t')));
        start = end + 2;
    }
    for (unsigned char c : enc) CHECK(c < 0x80);
    CHECK(decodeQuotedPrintable(enc) == text);
    CHECK(encodeQuotedPrintable("a=b") == "a=3Db");
    CHECK(encodeQuotedPrintable("end ") == "end=20");
}

TEST_CASE("the QP decoder's memory stays bounded on a line that never ends", "[message][codec]") {
    QuotedPrintableDecoder d;
    std::string out;
    std::string chunk(4096, 'a');
    for (int i = 0; i < 100; ++i) d.feed(chunk, out);  // 400 KiB without a line end
    d.finish(out);
    CHECK(out.size() == 100 * 4096);
}

TEST_CASE("charsets convert to UTF-8 through iconv", "[message][charset]") {
    CHECK(toUtf8("gb2312", "\xd6\xd0\xce\xc4") == "中文");
    CHECK(toUtf8("GBK", "\xbb\xe1\xd2\xe9\xbc\xcd\xd2\xaa") == "会议纪要");
    CHECK(toUtf8("gb18030", "\xd6\xd0\xce\xc4") == "中文");
    CHECK(toUtf8("iso-8859-1", "caf\xe9") == "café");
    CHECK(toUtf8("UTF-8", "中文") == "中文");
    CHECK(toUtf8("utf-8", "a\xff" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(toUtf8("x-no-such-charset", "abc") == std::nullopt);
    CHECK(toUtf8("../../etc", "abc") == std::nullopt);
    // A truncated GBK sequence becomes U+FFFD, the rest still converts.
    CHECK(toUtf8("gbk", "\xd6\xd0\xce") == "中\xEF\xBF\xBD");
}
