#include "sources.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <zlib.h>

#include "sitrep/util/error.hpp"

namespace fs = std::filesystem;

namespace sitrep::indexer {

namespace {

// A JSON line longer than this is rejected rather than read into memory.
constexpr std::size_t kMaxLineBytes = 64u << 20;

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void handle(const schema::ParsedRecord& r, const Origin& origin, const SourceCallbacks& cb) {
  if (!r.error.empty()) {
    cb.reject(origin, r.error);
    return;
  }
  if (!r.warning.empty()) cb.warn(origin, r.warning);
  cb.record(schema::Article(*r.article), origin);
}

// JSON Lines through zlib, which reads plain and gzip-compressed input alike.
void read_jsonl(gzFile in, const std::string& name, const std::string& path, std::uint64_t size,
                const SourceCallbacks& cb) {
  std::string line;
  std::uint64_t offset = 0;
  std::vector<char> buf(1 << 16);
  std::size_t lineno = 0;
  bool too_long = false;
  auto flush = [&] {
    ++lineno;
    const Origin origin{name, lineno, path, offset, size};
    if (too_long) {
      cb.reject(origin, "line longer than " + std::to_string(kMaxLineBytes >> 20) + " MiB");
    } else {
      const auto first = line.find_first_not_of(" \t\r\n");
      if (first != std::string::npos) handle(schema::article_from_json_text(line), origin, cb);
    }
    line.clear();
    too_long = false;
  };
  for (;;) {
    const int n = gzread(in, buf.data(), static_cast<unsigned>(buf.size()));
    if (cb.stop && cb.stop()) return;  // before the error check: a signal interrupts a read
    if (n < 0) {
      int errnum = 0;
      const char* msg = gzerror(in, &errnum);
      cb.reject(Origin{name, lineno + 1, path, offset, size},
                std::string("read error: ") + (errnum == Z_ERRNO ? std::strerror(errno) : msg) +
                    "; the rest of the file is skipped");
      return;
    }
    if (n == 0) break;
    const z_off_t at = gzoffset(in);
    if (at > 0) offset = static_cast<std::uint64_t>(at);
    const char* p = buf.data();
    const char* end = p + n;
    while (p < end) {
      const char* nl =
          static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      const char* stop = nl ? nl : end;
      if (!too_long) {
        if (line.size() + static_cast<std::size_t>(stop - p) > kMaxLineBytes) {
          too_long = true;
          line.clear();
        } else {
          line.append(p, stop);
        }
      }
      if (!nl) break;
      if (cb.stop && cb.stop()) return;
      flush();
      p = nl + 1;
    }
  }
  if (!line.empty() || too_long) {
    offset = size;
    flush();
  }
}

std::uint64_t bytes_of(const fs::path& path) {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  return ec ? 0 : static_cast<std::uint64_t>(n);
}

Origin whole_file(const fs::path& path) {
  const std::uint64_t size = bytes_of(path);
  return Origin{path.string(), 0, path.string(), size, size};
}

void read_jsonl_file(const fs::path& path, const SourceCallbacks& cb) {
  gzFile in = gzopen(path.c_str(), "rb");
  if (!in) {
    cb.reject(Origin{path.string(), 0, {}, 0, 0},
              std::string("cannot open: ") + std::strerror(errno));
    return;
  }
  gzbuffer(in, 1 << 17);
  read_jsonl(in, path.string(), path.string(), bytes_of(path), cb);
  gzclose(in);
}

bool read_whole(const fs::path& path, std::string& out, const SourceCallbacks& cb) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    cb.reject(Origin{path.string(), 0, {}, 0, 0},
              std::string("cannot open: ") + std::strerror(errno));
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    cb.reject(Origin{path.string(), 0, {}, 0, 0}, "read error");
    return false;
  }
  out = std::move(ss).str();
  return true;
}

void read_file(const fs::path& path, const SourceCallbacks& cb) {
  const std::string name = path.filename().string();
  if (ends_with(name, ".jsonl") || ends_with(name, ".jsonl.gz") || ends_with(name, ".ndjson")) {
    read_jsonl_file(path, cb);
    return;
  }
  std::string content;
  if (ends_with(name, ".json")) {
    if (read_whole(path, content, cb))
      handle(schema::article_from_json_text(content), whole_file(path), cb);
  } else if (ends_with(name, ".txt")) {
    if (read_whole(path, content, cb)) {
      handle(schema::article_from_text_file(content, path.stem().string()), whole_file(path), cb);
    }
  } else {
    // Named explicitly on the command line: read it as JSON Lines whatever its name.
    read_jsonl_file(path, cb);
  }
}

bool indexable(const fs::path& p) {
  const std::string n = p.filename().string();
  if (!n.empty() && n[0] == '.') return false;
  return ends_with(n, ".jsonl") || ends_with(n, ".jsonl.gz") || ends_with(n, ".ndjson") ||
         ends_with(n, ".json") || ends_with(n, ".txt");
}

bool list_directory(const fs::path& source, std::vector<fs::path>& files,
                    const SourceCallbacks* cb);

}  // namespace

void read_source(const std::string& source, const SourceCallbacks& cb) {
  if (source == "-") {
    gzFile in = gzdopen(dup(0), "rb");
    if (!in) throw Error(ErrorKind::kIo, "cannot read standard input");
    read_jsonl(in, "<stdin>", "", 0, cb);
    gzclose(in);
    return;
  }
  std::error_code ec;
  const fs::file_status st = fs::status(source, ec);
  if (ec || !fs::exists(st))
    throw Error(ErrorKind::kNotFound, source + ": no such file or directory");
  // Absolute, with links resolved: the form --prune compares.
  const fs::path real = fs::weakly_canonical(fs::absolute(source, ec), ec);
  if (!fs::is_directory(st)) {
    read_file(real, cb);
    return;
  }
  std::vector<fs::path> files;
  if (!list_directory(real, files, &cb)) return;
  for (const auto& f : files) {
    if (cb.stop && cb.stop()) return;
    read_file(f, cb);
  }
}

struct SourceReader::Spool {};

SourceReader::~SourceReader() = default;

void SourceReader::read(const std::string& source, const SourceCallbacks& cb) {
  read_source(source, cb);
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

namespace {

bool list_directory(const fs::path& source, std::vector<fs::path>& files,
                    const SourceCallbacks* cb) {
  // Walk in sorted order so that ids, stories and "last one wins" do not depend on the file system.
  std::error_code ec;
  fs::recursive_directory_iterator it(source, fs::directory_options::skip_permission_denied, ec),
      end;
  if (ec) {
    if (cb)
      cb->reject(Origin{source.string(), 0, {}, 0, 0}, "cannot read directory: " + ec.message());
    return false;
  }
  for (; it != end; it.increment(ec)) {
    if (ec) {
      if (cb)
        cb->reject(Origin{source.string(), 0, {}, 0, 0},
                   "cannot read directory entry: " + ec.message());
      break;
    }
    if (it->is_directory(ec) && !it->path().filename().empty() &&
        it->path().filename().string()[0] == '.') {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && indexable(it->path())) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return true;
}

}  // namespace

}  // namespace sitrep::indexer
