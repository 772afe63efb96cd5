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
void read_jsonl(gzFile in, const std::string& name, const SourceCallbacks& cb) {
  std::string line;
  std::vector<char> buf(1 << 16);
  std::size_t lineno = 0;
  bool too_long = false;
  auto flush = [&] {
    ++lineno;
    const Origin origin{name, lineno};
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
    if (n < 0) {
      int errnum = 0;
      const char* msg = gzerror(in, &errnum);
      cb.reject(Origin{name, lineno + 1}, std::string("read error: ") +
                                              (errnum == Z_ERRNO ? std::strerror(errno) : msg) +
                                              "; the rest of the file is skipped");
      return;
    }
    if (n == 0) break;
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
      flush();
      p = nl + 1;
    }
  }
  if (!line.empty() || too_long) flush();
}

void read_jsonl_file(const fs::path& path, const SourceCallbacks& cb) {
  gzFile in = gzopen(path.c_str(), "rb");
  if (!in) {
    cb.reject(Origin{path.string(), 0}, std::string("cannot open: ") + std::strerror(errno));
    return;
  }
  gzbuffer(in, 1 << 17);
  read_jsonl(in, path.string(), cb);
  gzclose(in);
}

bool read_whole(const fs::path& path, std::string& out, const SourceCallbacks& cb) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    cb.reject(Origin{path.string(), 0}, std::string("cannot open: ") + std::strerror(errno));
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    cb.reject(Origin{path.string(), 0}, "read error");
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
      handle(schema::article_from_json_text(content), Origin{path.string(), 0}, cb);
  } else if (ends_with(name, ".txt")) {
    if (read_whole(path, content, cb)) {
      handle(schema::article_from_text_file(content, path.stem().string()),
             Origin{path.string(), 0}, cb);
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

}  // namespace

void read_source(const std::string& source, const SourceCallbacks& cb) {
  if (source == "-") {
    gzFile in = gzdopen(dup(0), "rb");
    if (!in) throw Error(ErrorKind::kIo, "cannot read standard input");
    read_jsonl(in, "<stdin>", cb);
    gzclose(in);
    return;
  }
  std::error_code ec;
  const fs::file_status st = fs::status(source, ec);
  if (ec || !fs::exists(st))
    throw Error(ErrorKind::kNotFound, source + ": no such file or directory");
  if (!fs::is_directory(st)) {
    read_file(source, cb);
    return;
  }
  // Walk in sorted order so that ids, stories and "last one wins" do not depend on the file system.
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(source, fs::directory_options::skip_permission_denied, ec),
      end;
  if (ec) {
    cb.reject(Origin{source, 0}, "cannot read directory: " + ec.message());
    return;
  }
  for (; it != end; it.increment(ec)) {
    if (ec) {
      cb.reject(Origin{source, 0}, "cannot read directory entry: " + ec.message());
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
  for (const auto& f : files) read_file(f, cb);
}

}  // namespace sitrep::indexer
