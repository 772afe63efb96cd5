#pragma once
// Boilerplate detection: the lines of an article's body that are not the article (donation
// appeals, newsletter boxes, ad-blocker notices, photo credits, "read more" lists...).
//
// Two sources of evidence, both per line (a line = the text between two line breaks, trimmed):
//  - Recurrence within an outlet: a line that recurs in many articles of the same source is the
//    outlet's template, not its reporting. Lines are normalised (normalise_line) and hashed with
//    the source's keyword (line_key); LineCounts holds how many distinct articles of the source
//    carry each line, and how many articles each source has. A line of at least
//    kMinRecurringLineBytes normalised bytes is boilerplate when it recurs in at least
//    recurring_threshold(articles of the source) articles, unless every line of the body recurs
//    (a one-line body, or a text published again and again, is the article itself).
//  - Patterns for single articles: schemas/boilerplate/patterns.txt (compiled in), applied to short
//    lines (at most kMaxPatternLineBytes) of bodies with more than one line.
//
// Where the counts come from (sitrep-index): a prescan of the SOURCEs (LineCounter) plus, when
// adding to an existing database, the termfreq of each line's schema::terms::boilerplate_line
// term (every document carries one per eligible line), see DocumentBuilder.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sitrep::analysis {

// A line must have at least this many bytes once normalised to count as recurring: shorter ones
// ("Analysis", "KYIV", "Video") are headings and datelines as often as boilerplate.
inline constexpr std::size_t kMinRecurringLineBytes = 12;
// A line recurring in fewer articles of a source than this is never boilerplate by recurrence,
// however small the source: two articles quoting the same sentence keep it.
inline constexpr std::uint64_t kMinRecurringArticles = 3;
// Patterns only apply to lines up to this long (bytes): appeals, credits and notices are short,
// and a real paragraph that mentions "ad blockers" or "independent journalism" is longer.
inline constexpr std::size_t kMaxPatternLineBytes = 400;

// The number of articles of a source with `articles` articles that a line must recur in to be
// boilerplate: max(kMinRecurringArticles, ceil(sqrt(articles))). 3 for up to 9 articles, 10 for
// 100, 100 for 10,000: template text of a big outlet recurs in a large share of its articles,
// while a stock sentence or a quote repeated across a few follow-up stories does not reach it.
std::uint64_t recurring_threshold(std::uint64_t articles);

// Line spans of a body: [begin, end) byte offsets of each non-blank line, trimmed of white space.
struct LineSpan {
  std::uint32_t begin = 0, end = 0;
};
void split_lines(std::string_view body, std::vector<LineSpan>& out);

// Case-folded (ICU simple case folding), runs of white space one space, trimmed: the form in which
// lines are compared. Digits are kept: a line that differs by its figures ("Air raid alerts in 12
// regions") is reporting, not a template. Invalid UTF-8 bytes are kept as they are.
std::string normalise_line(std::string_view line);

// The key of a normalised line of a source (its keyword, analysis::keyword()): XXH3-64 of both.
std::uint64_t line_key(std::string_view source_keyword, std::string_view normalised);

// The keys of body's lines that can recur (normalised length >= kMinRecurringLineBytes), each
// once, in the order of their first line. Empty for an article without a source.
void recurring_line_keys(std::string_view source_keyword, std::string_view body,
                         std::vector<std::uint64_t>& out);

// How many articles of each source carry each line, and how many articles each source has.
class LineCounts {
 public:
  std::uint64_t line(std::uint64_t key) const;                    // 0 when unknown
  std::uint64_t articles(std::string_view source_keyword) const;  // 0 when unknown
  bool empty() const { return m_lines.empty() && m_articles.empty(); }

 private:
  friend class LineCounter;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> m_lines;  // sorted by key
  std::unordered_map<std::string, std::uint64_t> m_articles;
};

// Counts lines over a stream of articles (sitrep-index's prescan): each article once by id.
class LineCounter {
 public:
  void add(std::string_view id, std::string_view source_keyword, std::string_view body);
  std::size_t articles() const { return m_ids.size(); }
  LineCounts finish();  // leaves the counter empty

 private:
  std::unordered_set<std::uint64_t> m_ids;
  std::vector<std::uint64_t> m_keys;  // one entry per (article, distinct line)
  std::unordered_map<std::string, std::uint64_t> m_articles;
  std::vector<std::uint64_t> m_scratch;
};

// Why a line is boilerplate.
enum class BoilerplateReason : char {
  kRecurring = 'R',  // recurs across the source's articles; detail "COUNT/ARTICLES"
  kPattern = 'P',    // matches a pattern; detail = the pattern's name
  kList = 'L',       // a bulleted line under a "related" list header; detail = its pattern name
};

struct SuppressedLine {
  std::uint32_t begin = 0, end = 0;  // byte range in the body
  BoilerplateReason reason = BoilerplateReason::kPattern;
  std::string detail;
};

// The value stored in schema::slot::kBoilerplate: one line "BEGIN END REASON DETAIL" per
// suppressed line, in body order. decode_suppressed skips malformed lines.
std::string encode_suppressed(const std::vector<SuppressedLine>& lines);
std::vector<SuppressedLine> decode_suppressed(std::string_view value);

// Human-readable reason: "recurs in 12 of 40 articles of this source", "pattern: donation".
std::string describe(const SuppressedLine& line);

// Copy of body with the suppressed lines replaced by line breaks (for snippets).
std::string without_suppressed(std::string_view body, const std::vector<SuppressedLine>& lines);

// Per-line counts beyond LineCounts: the index's (update mode). Returns the number of articles
// already in the database carrying the line with this key / from this source.
struct StoredCounts {
  std::function<std::uint64_t(std::uint64_t key)> line;
  std::function<std::uint64_t(std::string_view source_keyword)> articles;
};

// Not thread-safe (holds ICU matchers): one per thread.
class BoilerplateDetector {
 public:
  // Throws Error{kConfig} when a built-in pattern does not compile.
  BoilerplateDetector();
  ~BoilerplateDetector();
  BoilerplateDetector(BoilerplateDetector&&) noexcept;
  BoilerplateDetector& operator=(BoilerplateDetector&&) noexcept;

  // The counts to judge recurrence by (nullptr: none, patterns only). counts_include_article:
  // whether the counts already count the article being judged (a prescan saw it); when not, it
  // is added. Both pointers must outlive their use.
  void set_counts(const LineCounts* counts, const StoredCounts* stored,
                  bool counts_include_article);

  // The suppressed lines of body (an article of source_keyword, "" when it has none), in order.
  // keys, when given, receives recurring_line_keys(source_keyword, body) (computed on the way).
  void detect(std::string_view source_keyword, std::string_view body,
              std::vector<SuppressedLine>& out, std::vector<std::uint64_t>* keys = nullptr);

  // The name of the first pattern line matches, or empty (exposed for tests).
  std::string_view match_pattern(std::string_view line);

  // The number of built-in patterns (exposed for tests).
  static std::size_t pattern_count();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// The text of schemas/boilerplate/patterns.txt (generated at build time).
std::string_view builtin_boilerplate_patterns();

}  // namespace sitrep::analysis
