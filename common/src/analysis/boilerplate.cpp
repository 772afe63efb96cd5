#include "sitrep/analysis/boilerplate.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include <unicode/regex.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <xxhash.h>

#include "sitrep/util/error.hpp"

namespace sitrep::analysis {

namespace {

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// White space at s[i] (ASCII or a UTF-8 encoded Unicode space): its length, or 0.
std::size_t space_len(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return is_ascii_space(s[i]) ? 1 : 0;
  std::int32_t at = static_cast<std::int32_t>(i);
  UChar32 cp;
  U8_NEXT(reinterpret_cast<const std::uint8_t*>(s.data()), at, static_cast<std::int32_t>(s.size()),
          cp);
  if (cp >= 0 && u_isUWhiteSpace(cp)) return static_cast<std::size_t>(at) - i;
  return 0;
}

// A bulleted line of a list of links: "- ...", "* ...", "• ...", "– ...", "— ...", "· ...".
bool is_bullet(std::string_view line) {
  for (std::string_view b :
       {"- ", "* ", "\xE2\x80\xA2", "\xE2\x80\x93 ", "\xE2\x80\x94 ", "\xC2\xB7"}) {
    if (line.substr(0, b.size()) == b) return true;
  }
  return false;
}

struct Pattern {
  std::string name;
  std::unique_ptr<icu::RegexPattern> regex;
};

struct CompiledPatterns {
  std::vector<Pattern> patterns;
  // The fast test, one alternation per kind: patterns anchored at the line's start ('^'
  // removed; matched with lookingAt(), which tries the first position only) and the others
  // (find()). Most lines match neither, and the individual patterns run only when one does.
  std::unique_ptr<icu::RegexPattern> anchored, floating;
};

// Whether regex has a '|' outside any group or character class (a branch of its own).
bool has_top_level_bar(std::string_view regex) {
  int depth = 0;
  bool in_class = false;
  for (std::size_t i = 0; i < regex.size(); ++i) {
    const char c = regex[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      if (c == ']') in_class = false;
    } else if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      return true;
    }
  }
  return false;
}

std::unique_ptr<icu::RegexPattern> compile_alternation(const std::string& alternation) {
  if (alternation.empty()) return nullptr;
  UErrorCode status = U_ZERO_ERROR;
  UParseError perr;
  std::unique_ptr<icu::RegexPattern> p(icu::RegexPattern::compile(
      icu::UnicodeString::fromUTF8(alternation), UREGEX_CASE_INSENSITIVE, perr, status));
  if (U_FAILURE(status)) {
    throw Error(ErrorKind::kConfig, std::string("boilerplate patterns: ") + u_errorName(status));
  }
  return p;
}

const CompiledPatterns& compiled_patterns() {
  static const CompiledPatterns compiled = [] {
    CompiledPatterns c;
    std::string_view text = builtin_boilerplate_patterns();
    std::string anchored, floating;
    std::size_t lineno = 0;
    while (!text.empty()) {
      const std::size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      ++lineno;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line[0] == '#') continue;
      const std::size_t tab = line.find('\t');
      const std::string where = "schemas/boilerplate/patterns.txt:" + std::to_string(lineno);
      if (tab == std::string_view::npos || tab == 0 || tab + 1 == line.size()) {
        throw Error(ErrorKind::kConfig, where + ": expected NAME<TAB>REGEX");
      }
      Pattern p;
      p.name = std::string(line.substr(0, tab));
      const std::string regex(line.substr(tab + 1));
      UErrorCode status = U_ZERO_ERROR;
      UParseError perr;
      p.regex.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(regex),
                                               UREGEX_CASE_INSENSITIVE, perr, status));
      if (U_FAILURE(status)) {
        throw Error(ErrorKind::kConfig,
                    where + ": invalid regular expression (" + u_errorName(status) + ")");
      }
      // A top-level '|' would let a branch escape the anchor: such a pattern is floating.
      const bool is_anchored = regex[0] == '^' && !has_top_level_bar(regex);
      std::string& alternation = is_anchored ? anchored : floating;
      alternation +=
          (alternation.empty() ? "(?:" : "|(?:") + (is_anchored ? regex.substr(1) : regex) + ")";
      c.patterns.push_back(std::move(p));
    }
    c.anchored = compile_alternation(anchored);
    c.floating = compile_alternation(floating);
    return c;
  }();
  return compiled;
}

void append_uint(std::string& out, std::uint64_t v) { out += std::to_string(v); }

}  // namespace

std::uint64_t recurring_threshold(std::uint64_t articles) {
  const auto root = static_cast<std::uint64_t>(std::ceil(std::sqrt(static_cast<double>(articles))));
  return std::max(kMinRecurringArticles, root);
}

void split_lines(std::string_view body, std::vector<LineSpan>& out) {
  out.clear();
  std::size_t at = 0;
  while (at < body.size()) {
    std::size_t nl = body.find('\n', at);
    if (nl == std::string_view::npos) nl = body.size();
    std::size_t b = at, e = nl;
    while (b < e) {
      const std::size_t n = space_len(body, b);
      if (n == 0) break;
      b += n;
    }
    // Trailing white space: ASCII only (a trailing non-ASCII space is rare and harmless).
    while (e > b && is_ascii_space(body[e - 1])) --e;
    if (e > b) out.push_back({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e)});
    at = nl + 1;
  }
}

std::string normalise_line(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  const auto* s = reinterpret_cast<const std::uint8_t*>(line.data());
  const auto n = static_cast<std::int32_t>(line.size());
  bool pending_space = false;
  for (std::int32_t i = 0; i < n;) {
    const std::int32_t start = i;
    UChar32 cp;
    U8_NEXT(s, i, n, cp);
    if (cp < 0) {  // invalid byte: kept
      if (pending_space && !out.empty()) out += ' ';
      pending_space = false;
      out.append(line.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
      continue;
    }
    if (u_isUWhiteSpace(cp)) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    const UChar32 f = u_foldCase(cp, U_FOLD_CASE_DEFAULT);
    std::uint8_t buf[4];
    std::int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, f);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(len));
  }
  return out;
}

std::uint64_t line_key(std::string_view source_keyword, std::string_view normalised) {
  // The source's hash seeds the line's: one key per (source, line).
  const XXH64_hash_t seed = XXH3_64bits(source_keyword.data(), source_keyword.size());
  return XXH3_64bits_withSeed(normalised.data(), normalised.size(), seed);
}

void recurring_line_keys(std::string_view source_keyword, std::string_view body,
                         std::vector<std::uint64_t>& out) {
  out.clear();
  if (source_keyword.empty()) return;
  std::vector<LineSpan> spans;
  split_lines(body, spans);
  for (const LineSpan& s : spans) {
    const std::string norm = normalise_line(body.substr(s.begin, s.end - s.begin));
    if (norm.size() < kMinRecurringLineBytes) continue;
    const std::uint64_t key = line_key(source_keyword, norm);
    if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(key);
  }
}

std::uint64_t LineCounts::line(std::uint64_t key) const {
  auto it = std::lower_bound(m_lines.begin(), m_lines.end(), key,
                             [](const auto& p, std::uint64_t k) { return p.first < k; });
  return it != m_lines.end() && it->first == key ? it->second : 0;
}

std::uint64_t LineCounts::articles(std::string_view source_keyword) const {
  auto it = m_articles.find(std::string(source_keyword));
  return it == m_articles.end() ? 0 : it->second;
}

void LineCounter::add(std::string_view id, std::string_view source_keyword, std::string_view body) {
  if (source_keyword.empty()) return;
  if (!m_ids.insert(XXH3_64bits(id.data(), id.size())).second) return;  // seen: count once
  ++m_articles[std::string(source_keyword)];
  recurring_line_keys(source_keyword, body, m_scratch);
  m_keys.insert(m_keys.end(), m_scratch.begin(), m_scratch.end());
}

LineCounts LineCounter::finish() {
  LineCounts c;
  std::sort(m_keys.begin(), m_keys.end());
  for (std::size_t i = 0; i < m_keys.size();) {
    std::size_t j = i;
    while (j < m_keys.size() && m_keys[j] == m_keys[i]) ++j;
    c.m_lines.emplace_back(m_keys[i], static_cast<std::uint32_t>(j - i));
    i = j;
  }
  c.m_articles = std::move(m_articles);
  *this = LineCounter();
  return c;
}

std::string encode_suppressed(const std::vector<SuppressedLine>& lines) {
  std::string out;
  for (const SuppressedLine& l : lines) {
    append_uint(out, l.begin);
    out += ' ';
    append_uint(out, l.end);
    out += ' ';
    out += static_cast<char>(l.reason);
    out += ' ';
    for (char c : l.detail) out += (c == '\n' || c == ' ') ? '_' : c;
    out += '\n';
  }
  return out;
}

std::vector<SuppressedLine> decode_suppressed(std::string_view value) {
  std::vector<SuppressedLine> out;
  while (!value.empty()) {
    const std::size_t nl = value.find('\n');
    std::string_view line = value.substr(0, nl);
    value = nl == std::string_view::npos ? std::string_view() : value.substr(nl + 1);
    SuppressedLine l;
    const char* p = line.data();
    const char* end = line.data() + line.size();
    auto r1 = std::from_chars(p, end, l.begin);
    if (r1.ec != std::errc() || r1.ptr == end || *r1.ptr != ' ') continue;
    auto r2 = std::from_chars(r1.ptr + 1, end, l.end);
    if (r2.ec != std::errc() || end - r2.ptr < 3 || r2.ptr[0] != ' ' || r2.ptr[2] != ' ') continue;
    const char reason = r2.ptr[1];
    if (reason != 'R' && reason != 'P' && reason != 'L') continue;
    if (l.end < l.begin) continue;
    l.reason = static_cast<BoilerplateReason>(reason);
    l.detail.assign(r2.ptr + 3, end);
    out.push_back(std::move(l));
  }
  return out;
}

std::string describe(const SuppressedLine& line) {
  switch (line.reason) {
    case BoilerplateReason::kRecurring: {
      const std::size_t slash = line.detail.find('/');
      if (slash == std::string::npos) return "recurs across this source's articles";
      return "recurs in " + line.detail.substr(0, slash) + " of " + line.detail.substr(slash + 1) +
             " articles of this source";
    }
    case BoilerplateReason::kPattern:
      return "pattern: " + line.detail;
    case BoilerplateReason::kList:
      return "list under a \"" + line.detail + "\" header";
  }
  return line.detail;
}

std::string without_suppressed(std::string_view body, const std::vector<SuppressedLine>& lines) {
  std::string out(body);
  for (const SuppressedLine& l : lines) {
    if (l.begin >= out.size()) continue;
    const std::size_t end = std::min<std::size_t>(l.end, out.size());
    for (std::size_t i = l.begin; i < end; ++i) out[i] = '\n';
  }
  return out;
}

struct BoilerplateDetector::Impl {
  std::vector<std::unique_ptr<icu::RegexMatcher>> matchers;
  std::unique_ptr<icu::RegexMatcher> anchored, floating;
  const LineCounts* counts = nullptr;
  const StoredCounts* stored = nullptr;
  bool include_article = false;
  std::vector<LineSpan> spans;
  icu::UnicodeString text;
};

BoilerplateDetector::BoilerplateDetector() : m_impl(std::make_unique<Impl>()) {
  const CompiledPatterns& c = compiled_patterns();
  UErrorCode status = U_ZERO_ERROR;
  for (const Pattern& p : c.patterns) {
    m_impl->matchers.emplace_back(p.regex->matcher(status));
  }
  if (c.anchored) m_impl->anchored.reset(c.anchored->matcher(status));
  if (c.floating) m_impl->floating.reset(c.floating->matcher(status));
  if (U_FAILURE(status)) {
    throw Error(ErrorKind::kConfig,
                std::string("cannot create a boilerplate matcher: ") + u_errorName(status));
  }
}

BoilerplateDetector::~BoilerplateDetector() = default;
BoilerplateDetector::BoilerplateDetector(BoilerplateDetector&&) noexcept = default;
BoilerplateDetector& BoilerplateDetector::operator=(BoilerplateDetector&&) noexcept = default;

std::size_t BoilerplateDetector::pattern_count() { return compiled_patterns().patterns.size(); }

void BoilerplateDetector::set_counts(const LineCounts* counts, const StoredCounts* stored,
                                     bool counts_include_article) {
  m_impl->counts = counts;
  m_impl->stored = stored;
  m_impl->include_article = counts_include_article;
}

std::string_view BoilerplateDetector::match_pattern(std::string_view line) {
  Impl& m = *m_impl;
  m.text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(line.data(), static_cast<std::int32_t>(line.size())));
  UErrorCode status = U_ZERO_ERROR;
  bool hit = false;
  if (m.anchored) {
    m.anchored->reset(m.text);
    hit = m.anchored->lookingAt(status) && U_SUCCESS(status);
  }
  if (!hit && m.floating) {
    status = U_ZERO_ERROR;
    m.floating->reset(m.text);
    hit = m.floating->find(status) && U_SUCCESS(status);
  }
  if (!hit) return {};
  const CompiledPatterns& c = compiled_patterns();
  for (std::size_t i = 0; i < m.matchers.size(); ++i) {
    status = U_ZERO_ERROR;
    m.matchers[i]->reset(m.text);
    if (m.matchers[i]->find(status) && U_SUCCESS(status)) return c.patterns[i].name;
  }
  return {};
}

void BoilerplateDetector::detect(std::string_view source_keyword, std::string_view body,
                                 std::vector<SuppressedLine>& out,
                                 std::vector<std::uint64_t>* keys) {
  Impl& m = *m_impl;
  out.clear();
  if (keys) keys->clear();
  split_lines(body, m.spans);
  const bool by_recurrence = !source_keyword.empty() && (m.counts || m.stored);
  std::uint64_t articles = 0;
  if (by_recurrence) {
    if (m.counts) articles += m.counts->articles(source_keyword);
    if (m.stored && m.stored->articles) articles += m.stored->articles(source_keyword);
    if (!m.include_article) ++articles;
  }
  const std::uint64_t threshold = recurring_threshold(articles);
  const bool several_lines = m.spans.size() > 1;
  std::string list_header;  // the pattern name of the list header just seen, if any
  for (const LineSpan& s : m.spans) {
    const std::string_view line = body.substr(s.begin, s.end - s.begin);
    SuppressedLine sup{s.begin, s.end, BoilerplateReason::kPattern, {}};
    bool suppressed = false;
    if (!source_keyword.empty() && (by_recurrence || keys)) {
      const std::string norm = normalise_line(line);
      const std::uint64_t key =
          norm.size() >= kMinRecurringLineBytes ? line_key(source_keyword, norm) : 0;
      if (keys && key && std::find(keys->begin(), keys->end(), key) == keys->end()) {
        keys->push_back(key);
      }
      if (by_recurrence && key) {
        std::uint64_t n = m.include_article ? 0 : 1;
        if (m.counts) n += m.counts->line(key);
        if (m.stored && m.stored->line) n += m.stored->line(key);
        if (n >= threshold) {
          sup.reason = BoilerplateReason::kRecurring;
          sup.detail = std::to_string(std::min(n, articles)) + "/" + std::to_string(articles);
          suppressed = true;
        }
      }
    }
    const bool short_line = several_lines && line.size() <= kMaxPatternLineBytes;
    if (!suppressed && short_line && !list_header.empty() && is_bullet(line)) {
      sup.reason = BoilerplateReason::kList;
      sup.detail = list_header;
      out.push_back(std::move(sup));
      continue;
    }
    list_header.clear();
    if (!short_line) {
      if (suppressed) out.push_back(std::move(sup));
      continue;
    }
    const std::string_view name = match_pattern(line);
    if (!suppressed && !name.empty()) {
      sup.reason = BoilerplateReason::kPattern;
      sup.detail = std::string(name);
      suppressed = true;
    }
    if (suppressed) {
      if (name == "related" && line.back() == ':') list_header = std::string(name);
      out.push_back(std::move(sup));
    }
  }
  // A body whose every line recurs (one line, or a text the outlet publishes again and again) is
  // the article itself, not a template around one: recurrence suppresses nothing of it.
  const auto recurring = std::count_if(out.begin(), out.end(), [](const SuppressedLine& l) {
    return l.reason == BoilerplateReason::kRecurring;
  });
  if (static_cast<std::size_t>(recurring) == m.spans.size()) {
    std::erase_if(
        out, [](const SuppressedLine& l) { return l.reason == BoilerplateReason::kRecurring; });
  }
}

}  // namespace sitrep::analysis
