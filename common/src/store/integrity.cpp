#include "sitrep/store/integrity.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sitrep::store {

namespace {

// Xapian 1.4 glass (backends/glass/glass_version.cc, glass_defs.h): the version file starts with
// a 14-byte magic and the 2-byte format version 2016-03-14, a 16-byte uuid, the revision, then
// one RootInfo per table in this order.
constexpr char kGlassMagic[16] = {'\x0f', '\x0d', 'X', 'a', 'p', 'i', 'a',    'n',
                                  ' ',    'G',    'l', 'a', 's', 's', '\x04', '\x6e'};
constexpr std::size_t kUuidSize = 16;
constexpr const char* kTables[] = {"postlist", "docdata",  "termlist",
                                   "position", "spelling", "synonym"};

// Xapian's pack_uint: 7 bits a byte, least significant first, the top bit set on all but the last.
bool unpack_uint(const unsigned char*& p, const unsigned char* end, std::uint64_t& out) {
  out = 0;
  for (unsigned shift = 0; p != end && shift < 64; shift += 7) {
    const unsigned char b = *p++;
    out |= std::uint64_t{b & 0x7fu} << shift;
    if (b < 0x80) return true;
  }
  return false;
}

// The fields of a glass RootInfo that say whether the table's file must exist, and how long.
struct Root {
  std::uint64_t root = 0, entries = 0, blocksize = 0;
  bool fake = true;  // no root block: the table has never held anything
};

bool unpack_root(const unsigned char*& p, const unsigned char* end, Root& r) {
  std::uint64_t flags = 0, compress_min = 0, freelist_len = 0;
  if (!unpack_uint(p, end, r.root) || !unpack_uint(p, end, flags) ||
      !unpack_uint(p, end, r.entries) || !unpack_uint(p, end, r.blocksize) ||
      !unpack_uint(p, end, compress_min) || !unpack_uint(p, end, freelist_len) ||
      freelist_len > static_cast<std::uint64_t>(end - p)) {
    return false;
  }
  p += freelist_len;
  r.fake = (flags & 1) != 0;
  r.blocksize <<= 11;
  return r.blocksize >= 2048 && r.blocksize <= 65536;
}

TableProblem open_problem(const std::string& file, int err) {
  if (err == ENOENT) return {file, "missing", ErrorKind::kIo};
  return {file, std::string("unreadable (") + std::strerror(err) + ")",
          err == EACCES || err == EPERM ? ErrorKind::kPermission : ErrorKind::kIo};
}

}  // namespace

std::vector<TableProblem> find_table_problems(const std::string& dir) {
  std::vector<TableProblem> problems;
  unsigned char buf[4096];  // Xapian itself reads the first 256 bytes
  std::size_t n = 0;
  {
    const int fd = ::open((dir + "/iamglass").c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
      const int err = errno;
      struct stat st {};
      if (err == ENOENT && ::stat((dir + "/iamchert").c_str(), &st) == 0) return problems;
      problems.push_back(open_problem("iamglass", err));
      return problems;
    }
    while (n < sizeof buf) {
      const std::size_t want = sizeof buf - n;
      const ssize_t r = ::read(fd, buf + n, want);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      n += static_cast<std::size_t>(r);
      if (static_cast<std::size_t>(r) < want) break;  // a short read of a file: its end
    }
    ::close(fd);
  }
  const unsigned char* p = buf;
  const unsigned char* const end = buf + n;
  std::uint64_t revision = 0;
  if (n < sizeof kGlassMagic + kUuidSize ||
      std::memcmp(buf, kGlassMagic, sizeof kGlassMagic) != 0) {
    problems.push_back({"iamglass", "not a Xapian 1.4 glass version file", ErrorKind::kIo});
    return problems;
  }
  p += sizeof kGlassMagic + kUuidSize;
  Root roots[std::size(kTables)];
  bool ok = unpack_uint(p, end, revision);
  for (Root& r : roots) ok = ok && unpack_root(p, end, r);
  if (!ok) {
    problems.push_back({"iamglass", "cut short or garbled", ErrorKind::kIo});
    return problems;
  }

  for (std::size_t t = 0; t < std::size(kTables); ++t) {
    const Root& r = roots[t];
    if (r.entries == 0) continue;  // may be absent: glass reads a missing empty table correctly
    const std::string file = std::string(kTables[t]) + ".glass";
    const std::string path = dir + "/" + file;
    // stat + faccessat (two system calls; open + fstat + close would be three): what open(2)
    // in Xapian would find.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || ::faccessat(AT_FDCWD, path.c_str(), R_OK, AT_EACCESS)) {
      problems.push_back(open_problem(file, errno));
    } else if (!S_ISREG(st.st_mode)) {
      problems.push_back({file, "not a regular file", ErrorKind::kIo});
    } else if (!r.fake && static_cast<std::uint64_t>(st.st_size) / r.blocksize <= r.root) {
      problems.push_back({file,
                          "truncated (" + std::to_string(st.st_size) +
                              " bytes; its root is block " + std::to_string(r.root) + " of " +
                              std::to_string(r.blocksize) + " bytes)",
                          ErrorKind::kIo});
    }
  }
  return problems;
}

std::string describe(const std::string& dir, const TableProblem& problem) {
  return "database table " + dir + "/" + problem.file + " is " + problem.problem +
         ": the database is damaged; rebuild it with sitrep-index --rebuild";
}

void check_tables(const std::string& dir) {
  const std::vector<TableProblem> problems = find_table_problems(dir);
  if (!problems.empty()) throw Error(problems.front().kind, describe(dir, problems.front()));
}

}  // namespace sitrep::store
