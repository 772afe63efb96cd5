// sitrep-gen-archive N [SEED]: writes N synthetic news articles as JSON Lines to stdout.
//
// Deterministic: the same N and SEED give byte-identical output on any machine (see gen_text.hpp
// for why the PRNG and sampler are hand-rolled). Record i does not depend on N, so a 10k archive is
// a prefix of the 100k archive with the same seed.

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "gen_text.hpp"

namespace {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the pending run of bytes that need no escaping
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void append_field(std::string& out, std::string_view key, std::string_view value) {
  if (out.back() != '{') out += ',';
  append_json_string(out, key);
  out += ':';
  append_json_string(out, value);
}

bool parse_u64(const char* s, std::uint64_t& v) {
  if (*s == '\0' || *s == '-') return false;
  char* end = nullptr;
  errno = 0;
  const unsigned long long parsed = std::strtoull(s, &end, 0);
  if (errno != 0 || *end != '\0') return false;
  v = parsed;
  return true;
}

bool flush(std::string& buf) {
  if (std::fwrite(buf.data(), 1, buf.size(), stdout) != buf.size()) return false;
  buf.clear();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t n = 0, seed = 1;
  if (argc < 2 || argc > 3 || !parse_u64(argv[1], n) || (argc == 3 && !parse_u64(argv[2], seed))) {
    std::fprintf(stderr,
                 "usage: sitrep-gen-archive N [SEED]\n"
                 "Writes N synthetic conflict-news articles as JSON Lines to stdout.\n"
                 "Same N and SEED (default 1) give the same output.\n");
    return 2;
  }
  const sitrep::bench::NewsGenerator gen;
  sitrep::bench::Article a;
  std::string buf;
  buf.reserve(1 << 21);
  for (std::uint64_t i = 1; i <= n; ++i) {
    gen.article(seed, i, a);
    buf += '{';
    append_field(buf, "id", a.id);
    append_field(buf, "url", a.url);
    append_field(buf, "source", a.source);
    append_field(buf, "title", a.title);
    if (a.has_published) append_field(buf, "published", a.published);
    if (a.has_language) append_field(buf, "language", a.language);
    append_field(buf, "body", a.body);
    buf += "}\n";
    if (buf.size() >= (1 << 20) && !flush(buf)) break;
  }
  if (!flush(buf) || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "sitrep-gen-archive: write error: %s\n", std::strerror(errno));
    return 1;
  }
  return 0;
}
