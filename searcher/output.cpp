// What the text and JSON output share: terminal safety, HTML escaping, number grouping.

#include "output.hpp"

#include <cstdio>

#include "sitrep/util/utf8.hpp"

namespace sitrep::searcher {

namespace {

// The code point of the valid UTF-8 sequence at s[i], and its length in len.
char32_t decode(std::string_view s, std::size_t i, std::size_t& len) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) {
    len = 1;
    return c;
  }
  if (c < 0xE0) {
    len = 2;
    return (char32_t(c & 0x1F) << 6) | (b(1) & 0x3F);
  }
  if (c < 0xF0) {
    len = 3;
    return (char32_t(c & 0x0F) << 12) | (char32_t(b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  }
  len = 4;
  return (char32_t(c & 0x07) << 18) | (char32_t(b(1) & 0x3F) << 12) | (char32_t(b(2) & 0x3F) << 6) |
         (b(3) & 0x3F);
}

// Whether a terminal could take code point c for a command or reorder a line by it (the
// characters printable() replaces, whitespace controls included).
bool unsafe(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

std::string printable_impl(std::string_view s, bool keep_newlines) {
  const std::string repaired = utf8::valid(s) ? std::string() : utf8::repair(s);
  const std::string_view text = repaired.empty() ? s : std::string_view(repaired);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    const char32_t c = decode(text, i, len);
    if (c == '\n' && keep_newlines) {
      out += '\n';
    } else if (c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      out += ' ';
    } else if (unsafe(c)) {
      out += "\xEF\xBF\xBD";  // U+FFFD
    } else {
      out.append(text, i, len);
    }
    i += len;
  }
  return out;
}

}  // namespace

std::string printable(std::string_view s) { return printable_impl(s, false); }

std::string printable_lines(std::string_view s) { return printable_impl(s, true); }

std::string terminal_safe_json(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    const char32_t c = decode(text, i, len);
    if (c >= 0x20 && unsafe(c)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out.append(text, i, len);
    }
    i += len;
  }
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string grouped(std::size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string with_id(std::string out, const std::string& id_json) {
  if (id_json.empty() || out.empty() || out.front() != '{') return out;
  // After "contract_version", the first key of every object written (else first); every object
  // has another key, so a comma follows the id.
  const std::string first = "{\"contract_version\":" + std::to_string(kContractVersion) + ",";
  const std::size_t at = out.compare(0, first.size(), first) == 0 ? first.size() : 1;
  out.insert(at, "\"id\":" + id_json + ",");
  return out;
}

}  // namespace sitrep::searcher
