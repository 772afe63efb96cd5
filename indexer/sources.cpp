#include "sources.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "input.hpp"
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "sitrep/util/error.hpp"

namespace fs = std::filesystem;

namespace sitrep::indexer {

namespace {

constexpr std::string_view kBlank = " \t\r\n";

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// One file (or stream) being read: how messages name it and what Origin carries.
struct FileInfo {
  std::string name;        // for messages: the path, "<stdin>", or a pipe's path as given
  std::string path;        // Origin::path: empty for standard input and pipes
  std::uint64_t size = 0;  // 0 when unknown
  Origin at(std::size_t line, std::uint64_t offset = 0) const {
    return Origin{name, line, path, offset, size};
  }
};

enum class Format { kJsonLines, kJsonDocument, kText };

Format format_of(const std::string& name) {
  if (ends_with(name, ".jsonl") || ends_with(name, ".jsonl.gz") || ends_with(name, ".ndjson"))
    return Format::kJsonLines;
  if (ends_with(name, ".json")) return Format::kJsonDocument;
  if (ends_with(name, ".txt")) return Format::kText;
  // Named explicitly on the command line: read it as JSON Lines whatever its name.
  return Format::kJsonLines;
}

void report_incomplete(const SourceCallbacks& cb, const Origin& origin, const std::string& msg) {
  if (cb.incomplete) {
    cb.incomplete(origin, msg);
  } else {
    cb.reject(origin, msg);
  }
}

void handle(const schema::ParsedRecord& r, const Origin& origin, const SourceCallbacks& cb,
            const std::string& context = {}) {
  if (!r.error.empty()) {
    cb.reject(origin, context + r.error);
    return;
  }
  if (!r.warning.empty()) cb.warn(origin, context + r.warning);
  cb.record(schema::Article(*r.article), origin);
}

bool stopped(const SourceCallbacks& cb) { return cb.stop && cb.stop(); }

std::string mib(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

std::string lines_missing(std::size_t complete_lines) {
  return complete_lines ? "; records after line " + std::to_string(complete_lines) + " are missing"
                        : "; no record of it could be read";
}

// ------------------------------------------------------------------- JSON structure, not values

enum class Scan { kClosed, kUnclosed, kMismatch, kStopped };

// Walks the structure of the JSON array or object at text[pos] ('[' or '{'): strings and
// brackets only, no values are parsed. For a top-level array, calls element(text, line, index)
// with each element's text (trimmed; empty for the missing element of "[1,,2]"), its first line
// (counting text[pos] as on line `line`) and its index from 1; element returns false to stop.
// kClosed sets end just past the closing bracket; otherwise end is where the scan stopped
// (kUnclosed: the text ended first, kMismatch: a bracket closes the wrong kind).
using ElementFn = std::function<bool(std::string_view, std::size_t, std::size_t)>;
Scan scan_json(std::string_view text, std::size_t pos, std::size_t& line, std::size_t& end,
               const ElementFn& element) {
  const bool array = text[pos] == '[';
  std::vector<char> open;
  bool in_string = false, escaped = false, after_comma = false;
  std::size_t elem_begin = std::string_view::npos, elem_line = 0, index = 0;
  auto emit = [&](std::size_t i) {
    std::string_view e;
    if (elem_begin != std::string_view::npos) {
      e = text.substr(elem_begin, i - elem_begin);
      e = e.substr(0, e.find_last_not_of(kBlank) + 1);
    } else {
      elem_line = line;
    }
    elem_begin = std::string_view::npos;
    return !element || element(e, elem_line, ++index);
  };
  for (std::size_t i = pos; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (array && open.size() == 1 && elem_begin == std::string_view::npos && c != ',' && c != ']' &&
        kBlank.find(c) == std::string_view::npos) {
      elem_begin = i;
      elem_line = line;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        open.push_back(c);
        break;
      case ']':
      case '}':
        if (open.empty() || open.back() != (c == ']' ? '[' : '{')) {
          end = i;
          return Scan::kMismatch;
        }
        if (array && open.size() == 1 && (elem_begin != std::string_view::npos || after_comma) &&
            !emit(i)) {
          end = i;
          return Scan::kStopped;
        }
        open.pop_back();
        if (open.empty()) {
          end = i + 1;
          return Scan::kClosed;
        }
        break;
      case ',':
        if (array && open.size() == 1) {
          after_comma = true;
          if (!emit(i)) {
            end = i;
            return Scan::kStopped;
          }
        }
        break;
      default:
        break;
    }
  }
  end = text.size();
  return Scan::kUnclosed;
}

// Whether text holds exactly one JSON array or object (by its structure), blanks around it.
bool one_json_document(std::string_view text) {
  const std::size_t pos = text.find_first_not_of(kBlank);
  if (pos == std::string_view::npos || (text[pos] != '[' && text[pos] != '{')) return false;
  std::size_t line = 1, end = 0;
  return scan_json(text, pos, line, end, nullptr) == Scan::kClosed &&
         text.find_first_not_of(kBlank, end) == std::string_view::npos;
}

// The records of a whole JSON document: each element of an array, or the document itself.
// numbered: origins carry the line where each record starts (else 0 for a lone object, as for a
// .json file that is one record).
void read_document(std::string_view text, const FileInfo& f, bool numbered,
                   const SourceCallbacks& cb) {
  const std::size_t pos = text.find_first_not_of(kBlank);
  if (pos == std::string_view::npos || text[pos] != '[') {
    std::size_t line = 1;
    if (pos != std::string_view::npos)
      line += static_cast<std::size_t>(std::count(text.begin(), text.begin() + pos, '\n'));
    handle(schema::article_from_json_text(text), f.at(numbered ? line : 0, f.size), cb);
    return;
  }
  std::size_t line =
      1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + pos, '\n'));
  std::size_t end = 0, elements = 0;
  const Scan scan =
      scan_json(text, pos, line, end, [&](std::string_view e, std::size_t at, std::size_t index) {
        if (stopped(cb)) return false;
        elements = index;
        handle(schema::article_from_json_text(e), f.at(at, f.size), cb,
               "array element " + std::to_string(index) + ": ");
        return true;
      });
  switch (scan) {
    case Scan::kStopped:
      return;
    case Scan::kUnclosed:
      report_incomplete(
          cb, f.at(line, f.size),
          "the JSON array is not closed: the file ends early (truncated?); " +
              (elements ? "records after element " + std::to_string(elements) + " are missing"
                        : std::string("no record of it could be read")));
      return;
    case Scan::kMismatch:
      cb.reject(f.at(line, f.size), std::string("malformed JSON: '") + text[end] +
                                        "' closes the wrong bracket; the rest of the file is "
                                        "skipped");
      return;
    case Scan::kClosed:
      break;
  }
  const std::size_t more = text.find_first_not_of(kBlank, end);
  if (more != std::string_view::npos) {
    line += static_cast<std::size_t>(std::count(text.begin() + end, text.begin() + more, '\n'));
    cb.reject(f.at(line, f.size), "malformed JSON: more text after the end of the array; skipped");
  } else if (elements == 0) {
    cb.warn(f.at(0, f.size), "the JSON array is empty: no records");
  }
}

// ----------------------------------------------------------------------------------- JSON Lines

// JSON Lines, one record per line. When the first non-blank line is a lone "{" or "[" or is not
// JSON, the file may be one pretty-printed JSON document: it is then read whole (up to
// kMaxRecordBytes), and if it is one, its records are indexed with one warning; otherwise its
// lines are read as usual.
class JsonLinesReader {
 public:
  JsonLinesReader(Decoder& in, const FileInfo& f, const SourceCallbacks& cb)
      : m_in(in), m_f(f), m_cb(cb) {}

  void run() {
    std::vector<char> buf(1 << 16);
    for (;;) {
      const std::size_t n = m_in.read(buf.data(), buf.size());
      if (n == 0) break;
      m_newlines += static_cast<std::size_t>(std::count(buf.data(), buf.data() + n, '\n'));
      if (m_phase == Phase::kBuffering) {
        m_doc.append(buf.data(), n);
      } else if (!feed(buf.data(), n)) {
        return;
      }
      if (m_phase == Phase::kBuffering && m_doc.size() > kMaxRecordBytes && !decide(false)) return;
    }
    const Decoder::Status status = m_in.status();
    if (status == Decoder::Status::kStopped) return;
    const bool clean = status == Decoder::Status::kEnd;
    if (m_phase == Phase::kBuffering && !decide(clean)) {
      report_end(status);
      return;
    }
    if (clean && (!m_line.empty() || m_too_long)) {
      m_offset = m_in.raw_consumed();
      flush();
    }
    report_end(status);
  }

 private:
  enum class Phase { kFirst, kLines, kBuffering };

  // Line mode over a chunk; false when stopped.
  bool feed(const char* p, std::size_t n) {
    const char* end = p + n;
    while (p < end) {
      const char* nl =
          static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      const char* stop = nl ? nl : end;
      if (!m_too_long) {
        if (m_line.size() + static_cast<std::size_t>(stop - p) > kMaxRecordBytes) {
          m_too_long = true;
          m_line.clear();
        } else {
          m_line.append(p, stop);
        }
      }
      if (!nl) break;
      if (stopped(m_cb)) return false;
      m_offset = m_in.raw_consumed();
      flush();
      p = nl + 1;
      if (m_phase == Phase::kBuffering) {
        m_doc.append(p, end);
        return true;
      }
    }
    return true;
  }

  void flush() {
    ++m_lineno;
    const Origin origin = m_f.at(m_lineno, m_offset);
    if (m_too_long) {
      m_cb.reject(origin, "line longer than " + max_record_text());
      m_phase = Phase::kLines;
    } else if (const auto first = m_line.find_first_not_of(kBlank); first != std::string::npos) {
      if (m_phase == Phase::kFirst && first_line_is_odd(first)) {
        m_phase = Phase::kBuffering;
        m_doc.assign(m_lineno - 1, '\n');
        m_doc += m_line;
        m_doc += '\n';
      } else {
        m_phase = Phase::kLines;
        handle(schema::article_from_json_text(m_line), origin, m_cb);
      }
    }
    m_line.clear();
    m_too_long = false;
  }

  bool first_line_is_odd(std::size_t first) {
    const std::size_t last = m_line.find_last_not_of(kBlank);
    m_lone_bracket = first == last && (m_line[first] == '{' || m_line[first] == '[');
    return m_lone_bracket || !nlohmann::json::accept(m_line);
  }

  std::string hint(bool array) const {
    // Standard input or a pipe is gone once read: the command then reads what was fed to it.
    const std::string file = m_f.path.empty() ? std::string() : " " + m_f.name;
    return "this is one JSON document spread over many lines, not JSON Lines (one record per "
           "line); convert it with: jq -c " +
           std::string(array ? "'.[]'" : ".") + file;
  }

  // The buffered start of the file is complete (at_end) or over the cap: one document, or lines
  // after all. False when the rest of the file is not to be read as lines.
  bool decide(bool at_end) {
    std::string doc = std::move(m_doc);
    m_doc.clear();
    m_phase = Phase::kLines;
    if (at_end && one_json_document(doc)) {
      const bool array = doc[doc.find_first_not_of(kBlank)] == '[';
      if (array) {
        m_cb.warn(m_f.at(0, m_f.size), hint(true) + "; each element is read as a record");
        read_document(doc, m_f, true, m_cb);
      } else if (!nlohmann::json::accept(doc)) {
        m_cb.reject(m_f.at(0, m_f.size), hint(false) + "; it cannot be read as one: " +
                                             schema::article_from_json_text(doc).error);
      } else {
        m_cb.warn(m_f.at(0, m_f.size), hint(false) + "; it is read as one record");
        read_document(doc, m_f, true, m_cb);
      }
      return false;
    }
    if (m_lone_bracket) {
      const std::string why =
          at_end ? "; it cannot be read as one: " + schema::article_from_json_text(doc).error
                 : "; it is too large to read as one (more than " + max_record_text() + ")";
      m_cb.reject(m_f.at(0, m_f.size), hint(doc[doc.find_first_not_of(kBlank)] == '[') + why);
      return false;
    }
    // Not a document: its lines, as JSON Lines, from the first.
    m_lineno = 0;
    return feed(doc.data(), doc.size());
  }

  void report_end(Decoder::Status status) {
    if (status == Decoder::Status::kEnd) {
      if (m_in.trailing_garbage())
        m_cb.warn(m_f.at(m_newlines + 1, m_in.raw_consumed()),
                  "data after the end of the gzip stream is ignored");
      return;
    }
    if (status == Decoder::Status::kStopped || status == Decoder::Status::kOk) return;
    report_incomplete(m_cb, m_f.at(m_newlines + 1, m_in.raw_consumed()),
                      m_in.problem() + lines_missing(m_newlines));
  }

  Decoder& m_in;
  const FileInfo& m_f;
  const SourceCallbacks& m_cb;
  Phase m_phase = Phase::kFirst;
  std::string m_line;
  bool m_too_long = false;
  std::size_t m_lineno = 0;
  std::size_t m_newlines = 0;  // complete lines read from the input
  std::uint64_t m_offset = 0;
  bool m_lone_bracket = false;
  std::string m_doc;
};

// ------------------------------------------------------------------------- whole files, streams

// The decoded content of a file that is one record (or one JSON document), at most
// kMaxRecordBytes: false (reported) when it is bigger or cannot be read to its end.
bool read_whole(Decoder& in, const FileInfo& f, Format format, std::string& out,
                const SourceCallbacks& cb) {
  const std::string hint = format == Format::kJsonDocument
                               ? "; if it is an array of records, convert it to JSON Lines with: "
                                 "jq -c '.[]' " +
                                     f.name
                               : std::string();
  if (f.size > kMaxRecordBytes) {
    cb.reject(f.at(0, 0), "the file is " + mib(f.size) + " (" + std::to_string(f.size) +
                              " bytes), more than the " + max_record_text() +
                              " one record may have" + hint);
    return false;
  }
  out.clear();
  std::vector<char> buf(1 << 16);
  while (const std::size_t n = in.read(buf.data(), buf.size())) {
    if (out.size() + n > kMaxRecordBytes) {
      cb.reject(f.at(0, in.raw_consumed()),
                "larger than the " + max_record_text() + " one record may have" + hint);
      return false;
    }
    out.append(buf.data(), n);
  }
  switch (in.status()) {
    case Decoder::Status::kEnd:
      return true;
    case Decoder::Status::kStopped:
      return false;
    default:
      report_incomplete(cb, f.at(0, in.raw_consumed()), in.problem() + "; the file is skipped");
      return false;
  }
}

// A UTF-8 byte order mark is skipped; UTF-16 or UTF-32 input is refused once, as a whole.
bool check_encoding(Decoder& in, const FileInfo& f, const SourceCallbacks& cb) {
  const std::string_view head = in.peek(4);
  if (head.substr(0, 3) == "\xEF\xBB\xBF") {
    in.skip(3);
    return true;
  }
  const ForeignEncoding enc = foreign_encoding(head);
  if (enc.description.empty()) return true;
  cb.reject(f.at(0, 0), std::string(f.path.empty() ? "the input" : "the file") + " is " +
                            enc.description + ", not UTF-8; convert it with: iconv -f " +
                            enc.iconv_name + " -t UTF-8");
  return false;
}

void read_stream(Decoder& in, const FileInfo& f, Format format, const SourceCallbacks& cb) {
  if (!check_encoding(in, f, cb)) return;
  std::string content;
  switch (format) {
    case Format::kJsonLines:
      JsonLinesReader(in, f, cb).run();
      break;
    case Format::kJsonDocument:
      if (read_whole(in, f, format, content, cb)) read_document(content, f, false, cb);
      break;
    case Format::kText:
      if (read_whole(in, f, format, content, cb)) {
        handle(schema::article_from_text_file(content, fs::path(f.name).stem().string()),
               f.at(0, f.size), cb);
      }
      break;
  }
}

// Opens a file for reading without blocking: open() of a FIFO without a writer would wait for
// one, beyond the reach of signals. The descriptor is made blocking again; RawInput waits for
// data with poll(). -1 with errno set on failure.
int open_for_reading(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return -1;
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::uint64_t bytes_of(const fs::path& path) {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  return ec ? 0 : static_cast<std::uint64_t>(n);
}

// A file found in a directory, or a regular file named as a SOURCE.
void read_file(const fs::path& path, const SourceCallbacks& cb) {
  FileInfo f{path.string(), path.string(), 0};
  const Fd in{open_for_reading(f.name)};
  if (in.fd < 0) {
    report_incomplete(cb, f.at(0), std::string("cannot open: ") + std::strerror(errno));
    return;
  }
  struct stat st {};
  const bool regular = ::fstat(in.fd, &st) == 0 && S_ISREG(st.st_mode);
  if (regular) f.size = static_cast<std::uint64_t>(st.st_size);
  RawInput raw(in.fd, regular, 0, nullptr, cb.stop);
  Decoder decoder(raw);
  read_stream(decoder, f, format_of(path.filename().string()), cb);
}

bool indexable(const fs::path& p) {
  const std::string n = p.filename().string();
  if (!n.empty() && n[0] == '.') return false;
  return ends_with(n, ".jsonl") || ends_with(n, ".jsonl.gz") || ends_with(n, ".ndjson") ||
         ends_with(n, ".json") || ends_with(n, ".txt");
}

// Collects the indexable files under dir (not following links to directories, skipping hidden
// names); with cb, reports each directory or entry that cannot be read as incomplete.
void walk(const fs::path& dir, std::vector<fs::path>& files, const SourceCallbacks* cb) {
  const auto problem = [&](const fs::path& p, const std::string& msg) {
    if (cb) report_incomplete(*cb, Origin{p.string(), 0, p.string(), 0, 0}, msg);
  };
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    problem(dir, "cannot read directory: " + ec.message());
    return;
  }
  std::vector<fs::path> subdirs;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code sec;
    const fs::file_status link = it->symlink_status(sec);
    if (sec) {
      problem(p, "cannot examine: " + sec.message());
      continue;
    }
    if (fs::is_directory(link)) {
      subdirs.push_back(p);
      continue;
    }
    if (!indexable(p)) continue;
    const fs::file_status st = fs::is_symlink(link) ? it->status(sec) : link;
    if (sec || !fs::exists(st)) {
      problem(p, fs::is_symlink(link) ? "broken symbolic link (" + sec.message() + ")"
                                      : "cannot examine: " + sec.message());
      continue;
    }
    if (fs::is_regular_file(st)) files.push_back(p);
  }
  if (ec) problem(dir, "cannot read directory: " + ec.message() + "; some files may be missing");
  for (const fs::path& sub : subdirs) walk(sub, files, cb);
}

// Walk in sorted order so that ids, stories and "last one wins" do not depend on the file system.
void list_directory(const fs::path& source, std::vector<fs::path>& files,
                    const SourceCallbacks* cb) {
  walk(source, files, cb);
  std::sort(files.begin(), files.end());
}

SourceReader& process_reader() {
  static SourceReader reader;
  return reader;
}

}  // namespace

void read_source(const std::string& source, const SourceCallbacks& cb) {
  process_reader().read(source, cb);
}

struct SourceReader::Spool {
  std::string source;  // the SOURCE argument
  SpoolFile file;
  // Standard input redirected from a regular file is read again from where it started instead.
  bool seekable = false;
  std::uint64_t start = 0;
};

SourceReader::~SourceReader() = default;

void SourceReader::read(const std::string& source, const SourceCallbacks& cb) {
  Spool* spool = nullptr;
  for (const auto& s : m_spools)
    if (s->source == source) spool = s.get();
  const bool stdin_source = source == "-";
  std::string name = stdin_source ? "<stdin>" : source;
  if (!spool) {
    if (stdin_source) {
      struct stat st {};
      if (::fstat(STDIN_FILENO, &st) != 0)
        throw Error(ErrorKind::kIo,
                    std::string("cannot read standard input: ") + std::strerror(errno));
      auto s = std::make_unique<Spool>();
      s->source = source;
      if (S_ISREG(st.st_mode)) {
        s->seekable = true;
        const off_t at = ::lseek(STDIN_FILENO, 0, SEEK_CUR);
        s->start = at > 0 ? static_cast<std::uint64_t>(at) : 0;
      } else {
        s->file.create(STDIN_FILENO, false, name);
      }
      spool = s.get();
      m_spools.push_back(std::move(s));
    } else {
      std::error_code ec;
      const fs::file_status st = fs::status(source, ec);
      if (!fs::exists(st)) {
        if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory) {
          report_incomplete(cb, Origin{source, 0, {}, 0, 0}, "cannot read: " + ec.message());
          return;
        }
        throw Error(ErrorKind::kNotFound, source + ": no such file or directory");
      }
      if (fs::is_directory(st) || fs::is_regular_file(st) || fs::is_block_file(st)) {
        // Absolute, with links resolved: the form --prune compares.
        const fs::path real = fs::weakly_canonical(fs::absolute(source, ec), ec);
        if (!fs::is_directory(st)) {
          read_file(real, cb);
          return;
        }
        std::vector<fs::path> files;
        list_directory(real, files, &cb);
        for (const auto& f : files) {
          if (stopped(cb)) return;
          read_file(f, cb);
        }
        return;
      }
      // A FIFO, a pipe (/dev/fd/63 from <(...)), /dev/stdin, a terminal: read once, and copied
      // for the reads after it. Named as given: its resolved path means nothing to the user.
      const int fd = open_for_reading(source);
      if (fd < 0) {
        report_incomplete(cb, Origin{source, 0, {}, 0, 0},
                          std::string("cannot open: ") + std::strerror(errno));
        return;
      }
      auto s = std::make_unique<Spool>();
      s->source = source;
      s->file.create(fd, true, name);
      spool = s.get();
      m_spools.push_back(std::move(s));
    }
  }
  if (!spool->seekable) spool->file.start_read();
  const FileInfo f{name, {}, 0};
  RawInput raw(STDIN_FILENO, spool->seekable, spool->start,
               spool->seekable ? nullptr : &spool->file, cb.stop);
  Decoder decoder(raw);
  read_stream(decoder, f, stdin_source ? Format::kJsonLines : format_of(name), cb);
}

std::uint64_t source_bytes(const std::string& source) {
  if (source == "-") return 0;
  std::error_code ec;
  const fs::file_status st = fs::status(source, ec);
  if (ec || !fs::exists(st)) return 0;
  if (!fs::is_directory(st)) return bytes_of(source);
  std::vector<fs::path> files;
  list_directory(source, files, nullptr);
  std::uint64_t total = 0;
  for (const auto& f : files) total += bytes_of(f);
  return total;
}

}  // namespace sitrep::indexer
