#include "domain/sms_segments.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace fl::domain;

namespace {
std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(s);
  return out;
}
}  // namespace

TEST_CASE("a plain text of up to 160 GSM characters is one GSM-7 segment", "[segments]") {
  auto one = count_segments(repeat("a", 160));
  CHECK(one.encoding == sms_encoding::gsm7);
  CHECK(one.units == 160);
  CHECK(one.segments == 1);
  CHECK(count_segments(repeat("a", 161)).segments == 2);
  CHECK(count_segments(repeat("a", 306)).segments == 2);
  CHECK(count_segments(repeat("a", 307)).segments == 3);
}

TEST_CASE("an empty text is one segment", "[segments]") {
  auto empty = count_segments("");
  CHECK(empty.segments == 1);
  CHECK(empty.units == 0);
  CHECK(empty.encoding == sms_encoding::gsm7);
}

TEST_CASE("GSM extension characters count two septets", "[segments]") {
  auto euro = count_segments("Total: 5€ [paid] {ok} ~ ^ | \\");
  CHECK(euro.encoding == sms_encoding::gsm7);
  CHECK(euro.units == 29 + 9);  // 29 characters, 9 of them from the extension table
  CHECK(count_segments(repeat("€", 80)).segments == 1);
  CHECK(count_segments(repeat("€", 81)).segments == 2);
}

TEST_CASE("an escape pair is never split across two parts", "[segments]") {
  // 152 plain septets then one extension character: 154 septets do not fit
  // in one 153-septet part of a concatenated message, and the pair moves on.
  std::string text = repeat("a", 152) + "€" + repeat("a", 10);
  auto c = count_segments(text);
  CHECK(c.units == 164);
  CHECK(c.segments == 2);
}

TEST_CASE("accented letters of the GSM alphabet stay GSM-7, others do not", "[segments]") {
  auto c = count_segments("Café è Zürich, señor Ñoño ¿sì? £5 §3 ÄÖÜ ß Ø Å Æ ù ò");
  CHECK(c.encoding == sms_encoding::gsm7);
  CHECK(count_segments("Ñandú").encoding == sms_encoding::ucs2);  // ú is not in GSM-7
}

TEST_CASE("any character outside GSM-7 makes the whole text UCS-2", "[segments]") {
  auto c = count_segments("On my way ✅");
  CHECK(c.encoding == sms_encoding::ucs2);
  CHECK(c.units == 11);
  CHECK(count_segments(repeat("ç", 70)).segments == 1);  // ç is not in GSM-7 (Ç is)
  CHECK(count_segments(repeat("ç", 71)).segments == 2);
  CHECK(count_segments(repeat("ç", 134)).segments == 2);
  CHECK(count_segments(repeat("ç", 135)).segments == 3);
}

TEST_CASE("emoji beyond the BMP count two UCS-2 units and are not split", "[segments]") {
  auto pin = count_segments("📍");
  CHECK(pin.encoding == sms_encoding::ucs2);
  CHECK(pin.units == 2);
  CHECK(count_segments(repeat("📍", 35)).segments == 1);
  // 134 units would fill exactly two 67-unit parts, but the pair after the
  // first 66 units moves whole into the second part, so a third is needed.
  auto c = count_segments(repeat("ç", 66) + "📍" + repeat("ç", 66));
  CHECK(c.units == 134);
  CHECK(c.segments == 3);
}

TEST_CASE("invalid UTF-8 is counted as replacement characters, never a crash", "[segments]") {
  auto c = count_segments(std::string("ok \xff\xfe end"));
  CHECK(c.encoding == sms_encoding::ucs2);
  CHECK(c.segments == 1);
}

TEST_CASE("an ASCII escape pair is never split across two parts either", "[segments]") {
  // 152 plain septets, then '[' (escape + itself): the pair moves on whole.
  auto c = count_segments(repeat("a", 152) + "[" + repeat("a", 10));
  CHECK(c.encoding == sms_encoding::gsm7);
  CHECK(c.units == 164);
  CHECK(c.segments == 2);
  CHECK(count_segments(repeat("{", 80)).segments == 1);
  CHECK(count_segments(repeat("{", 81)).segments == 2);
}

TEST_CASE("an ASCII character outside GSM-7 makes the whole text UCS-2", "[segments]") {
  auto c = count_segments("see `code`");  // the backtick is not in GSM-7
  CHECK(c.encoding == sms_encoding::ucs2);
  CHECK(c.units == 10);
  CHECK(count_segments(repeat("`", 70)).segments == 1);
  CHECK(count_segments(repeat("`", 71)).segments == 2);
  CHECK(count_segments(repeat("`", 134)).segments == 2);
  CHECK(count_segments(repeat("`", 135)).segments == 3);
}
