#pragma once

#include <cstdint>
#include <string_view>

namespace fl::domain {

/// How a text travels over SMS.
enum class sms_encoding : std::uint8_t { gsm7, ucs2 };

std::string_view to_string(sms_encoding e);

/// What one outbound text costs: its encoding, its length in that encoding's
/// units (GSM-7 septets, extension characters counting 2; UCS-2 16-bit code
/// units, characters beyond the BMP counting 2) and the number of SMS parts.
struct segment_count {
  sms_encoding encoding = sms_encoding::gsm7;
  std::uint32_t units = 0;
  std::uint32_t segments = 0;
};

/// Counts the segments of `utf8_text` as carriers do: GSM-7 when every
/// character is in the GSM 03.38 default alphabet or its extension table
/// (160 septets in one part, 153 per part when concatenated), otherwise UCS-2
/// (70, then 67 per part). A character is never split across two parts.
/// Invalid UTF-8 counts as UCS-2 replacement characters. An empty text is one
/// segment.
segment_count count_segments(std::string_view utf8_text);

}  // namespace fl::domain
