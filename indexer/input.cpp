#include "input.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "sitrep/util/error.hpp"

namespace sitrep::indexer {

std::string max_record_text() { return std::to_string(kMaxRecordBytes >> 20) + " MiB"; }

// ------------------------------------------------------------------------------------ SpoolFile

SpoolFile::~SpoolFile() {
  if (copy >= 0) ::close(copy);
  if (own_live && live >= 0) ::close(live);
}

void SpoolFile::create(int live_fd, bool own, std::string source_name) {
  live = live_fd;
  own_live = own;
  name = std::move(source_name);
  const char* env = std::getenv("TMPDIR");
  dir = env && *env ? env : "/tmp";
  // O_TMPFILE: a file without a name, gone when closed, whatever happens to the process.
  copy = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (copy < 0) {
    std::string tmpl = dir + "/sitrep-spool-XXXXXX";
    copy = ::mkostemp(tmpl.data(), O_CLOEXEC);
    if (copy < 0) {
      error = name + " can be read only once, and its temporary copy cannot be created in " + dir +
              ": " + std::strerror(errno) + " (set TMPDIR to a writable directory with room)";
      return;
    }
    ::unlink(tmpl.c_str());
  }
}

void SpoolFile::start_read() {
  if (++reads > 1 && !error.empty()) throw Error(ErrorKind::kIo, error);
}

// ------------------------------------------------------------------------------------- RawInput

RawInput::RawInput(int fd, bool seekable, std::uint64_t start, SpoolFile* spool,
                   std::function<bool()> stop)
    : m_fd(fd), m_seekable(seekable), m_start(start), m_spool(spool), m_stop(std::move(stop)) {}

std::size_t RawInput::read_live(int fd, bool seekable, char* out, std::size_t n) {
  if (seekable) {
    for (;;) {
      const ssize_t r = ::pread(fd, out, n, static_cast<off_t>(m_start + m_pos));
      if (r > 0) return static_cast<std::size_t>(r);
      if (r == 0) {
        m_status = Status::kEnd;
        return 0;
      }
      if (errno == EINTR) continue;
      m_errno = errno;
      m_status = Status::kError;
      return 0;
    }
  }
  for (;;) {
    if (m_stop && m_stop()) {
      m_status = Status::kStopped;
      return 0;
    }
    // A pipe, FIFO or terminal: wait in short slices. read() alone would block until data comes,
    // and a signal would not end it (SA_RESTART restarts it).
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, 100);
    if (ready < 0 && errno != EINTR) {
      m_errno = errno;
      m_status = Status::kError;
      return 0;
    }
    if (ready <= 0) continue;
    const ssize_t r = ::read(fd, out, n);
    if (r > 0) return static_cast<std::size_t>(r);
    if (r == 0) {
      m_status = Status::kEnd;
      return 0;
    }
    if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
    m_errno = errno;
    m_status = Status::kError;
    return 0;
  }
}

std::size_t RawInput::read(char* out, std::size_t n) {
  if (m_status != Status::kOk || n == 0) return 0;
  if (!m_spool) {
    const std::size_t got = read_live(m_fd, m_seekable, out, n);
    m_pos += got;
    return got;
  }
  SpoolFile& s = *m_spool;
  if (m_pos < s.size && s.error.empty()) {  // replay the copy
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(n, s.size - m_pos));
    ssize_t r;
    do {
      r = ::pread(s.copy, out, want, static_cast<off_t>(m_pos));
    } while (r < 0 && errno == EINTR);
    if (r <= 0) {
      m_errno = r < 0 ? errno : EIO;
      m_status = Status::kError;
      return 0;
    }
    m_pos += static_cast<std::uint64_t>(r);
    return static_cast<std::size_t>(r);
  }
  if (s.ended) {
    m_status = Status::kEnd;
    return 0;
  }
  const std::size_t got = read_live(s.live, false, out, n);
  if (got == 0) {
    if (m_status == Status::kEnd) {
      s.ended = true;
      if (s.own_live) ::close(s.live);
      s.live = -1;
    }
    return 0;
  }
  for (std::size_t done = 0; s.error.empty() && done < got;) {
    const ssize_t w = ::pwrite(s.copy, out + done, got - done, static_cast<off_t>(s.size + done));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      s.error = s.name + " can be read only once, and writing its temporary copy in " + s.dir +
                " failed: " + std::strerror(w < 0 ? errno : ENOSPC) +
                " (set TMPDIR to a writable directory with room)";
      break;
    }
    done += static_cast<std::size_t>(w);
  }
  s.size += got;
  m_pos += got;
  return got;
}

// -------------------------------------------------------------------------------------- Decoder

Decoder::Decoder(RawInput& raw) : m_raw(raw), m_in(1 << 17) {}

Decoder::~Decoder() {
  if (m_zinit) inflateEnd(&m_z);
}

bool Decoder::fill(std::size_t want) {
  if (m_in_end - m_in_begin >= want) return true;
  if (m_in_begin > 0) {
    std::memmove(m_in.data(), m_in.data() + m_in_begin, m_in_end - m_in_begin);
    m_in_end -= m_in_begin;
    m_in_begin = 0;
  }
  while (m_in_end < want && !m_raw_end) {
    const std::size_t n =
        m_raw.read(reinterpret_cast<char*>(m_in.data() + m_in_end), m_in.size() - m_in_end);
    if (n == 0) m_raw_end = true;
    m_in_end += n;
  }
  return m_in_end - m_in_begin >= want;
}

namespace {

Decoder::Status raw_end_status(RawInput::Status s, bool clean) {
  switch (s) {
    case RawInput::Status::kStopped:
      return Decoder::Status::kStopped;
    case RawInput::Status::kError:
      return Decoder::Status::kReadError;
    default:
      return clean ? Decoder::Status::kEnd : Decoder::Status::kTruncated;
  }
}

}  // namespace

std::size_t Decoder::read_decoded(char* out, std::size_t n) {
  if (m_status != Status::kOk || n == 0) return 0;
  if (!m_started) {
    m_started = true;
    fill(2);
    if (m_in_end - m_in_begin >= 2 && m_in[m_in_begin] == 0x1f && m_in[m_in_begin + 1] == 0x8b) {
      m_gzip = true;
      if (inflateInit2(&m_z, 15 + 16) != Z_OK) throw Error(ErrorKind::kInternal, "zlib: no memory");
      m_zinit = true;
    }
  }
  if (!m_gzip) {
    if (m_in_begin < m_in_end) {
      const std::size_t k = std::min(n, m_in_end - m_in_begin);
      std::memcpy(out, m_in.data() + m_in_begin, k);
      m_in_begin += k;
      return k;
    }
    const std::size_t k = m_raw_end ? 0 : m_raw.read(out, n);
    if (k == 0) {
      m_raw_end = true;
      m_status = raw_end_status(m_raw.status(), true);
    }
    return k;
  }
  for (;;) {
    if (m_member_done) {
      // Another gzip member may follow (gzip -c a >> f), or nothing.
      fill(2);
      if (m_in_begin == m_in_end) {
        m_status = raw_end_status(m_raw.status(), true);
        return 0;
      }
      if (m_in_end - m_in_begin < 2 || m_in[m_in_begin] != 0x1f || m_in[m_in_begin + 1] != 0x8b) {
        m_trailing = true;
        m_status = Status::kEnd;
        return 0;
      }
      inflateReset(&m_z);
      m_member_done = false;
    }
    if (m_in_begin == m_in_end && !fill(1)) {
      m_status = raw_end_status(m_raw.status(), false);
      return 0;
    }
    m_z.next_in = m_in.data() + m_in_begin;
    m_z.avail_in = static_cast<uInt>(m_in_end - m_in_begin);
    m_z.next_out = reinterpret_cast<Bytef*>(out);
    m_z.avail_out = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    const uInt room = m_z.avail_out;
    const int ret = inflate(&m_z, Z_NO_FLUSH);
    m_in_begin = m_in_end - m_z.avail_in;
    const std::size_t produced = room - m_z.avail_out;
    if (ret == Z_STREAM_END) {
      m_member_done = true;
    } else if (ret != Z_OK && !(ret == Z_BUF_ERROR && m_z.avail_in == 0)) {
      m_zmsg = m_z.msg ? m_z.msg : "zlib error " + std::to_string(ret);
      m_status = Status::kCorrupt;
      return produced;
    }
    if (produced > 0) return produced;
  }
}

std::size_t Decoder::read(char* out, std::size_t n) {
  if (!m_peeked.empty()) {
    const std::size_t k = std::min(n, m_peeked.size());
    std::memcpy(out, m_peeked.data(), k);
    m_peeked.erase(0, k);
    return k;
  }
  return read_decoded(out, n);
}

std::string_view Decoder::peek(std::size_t n) {
  char buf[64];
  while (m_peeked.size() < n) {
    const std::size_t k = read_decoded(buf, std::min(sizeof buf, n - m_peeked.size()));
    if (k == 0) break;
    m_peeked.append(buf, k);
  }
  return std::string_view(m_peeked).substr(0, n);
}

void Decoder::skip(std::size_t n) { m_peeked.erase(0, std::min(n, m_peeked.size())); }

std::string Decoder::problem() const {
  switch (m_status) {
    case Status::kTruncated:
      return "gzip stream ends early (truncated file?)";
    case Status::kCorrupt:
      return "gzip data is corrupt (" + m_zmsg + ")";
    case Status::kReadError:
      return std::string("read error: ") + std::strerror(m_raw.error());
    default:
      return {};
  }
}

// ----------------------------------------------------------------------------- foreign_encoding

ForeignEncoding foreign_encoding(std::string_view head) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
  const std::size_t n = head.size();
  if (n >= 4 && b(0) == 0xFF && b(1) == 0xFE && b(2) == 0 && b(3) == 0)
    return {"UTF-32 (little-endian)", "UTF-32"};
  if (n >= 4 && b(0) == 0 && b(1) == 0 && b(2) == 0xFE && b(3) == 0xFF)
    return {"UTF-32 (big-endian)", "UTF-32"};
  if (n >= 2 && b(0) == 0xFF && b(1) == 0xFE) return {"UTF-16 (little-endian)", "UTF-16"};
  if (n >= 2 && b(0) == 0xFE && b(1) == 0xFF) return {"UTF-16 (big-endian)", "UTF-16"};
  // Without a byte order mark: ASCII text (JSON starts with '{' or '[') leaves NUL bytes.
  if (n >= 4) {
    if (b(0) && !b(1) && !b(2) && !b(3)) return {"UTF-32 (little-endian)", "UTF-32LE"};
    if (!b(0) && !b(1) && !b(2) && b(3)) return {"UTF-32 (big-endian)", "UTF-32BE"};
    if (b(0) && !b(1) && b(2) && !b(3)) return {"UTF-16 (little-endian)", "UTF-16LE"};
    if (!b(0) && b(1) && !b(2) && b(3)) return {"UTF-16 (big-endian)", "UTF-16BE"};
  } else if (n >= 2) {
    if (b(0) && !b(1)) return {"UTF-16 (little-endian)", "UTF-16LE"};
    if (!b(0) && b(1)) return {"UTF-16 (big-endian)", "UTF-16BE"};
  }
  return {};
}

}  // namespace sitrep::indexer
