#pragma once
// The byte layer under the source readers: a file descriptor read without ever blocking
// uninterruptibly (pipes, FIFOs and terminals are waited for with poll() in short slices that ask
// stop()), optionally copied into a spool file so that it can be read again, and a decoder that
// reads plain and gzip-compressed data alike and says how the data ended.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <zlib.h>

namespace sitrep::indexer {

// The most bytes one record may have, in every input format: a JSON Lines line, a whole .json or
// .txt file, a pretty-printed JSON document. Bigger input is rejected with a message instead of
// being read into memory.
inline constexpr std::size_t kMaxRecordBytes = 64u << 20;

// "64 MiB", for messages.
std::string max_record_text();

// A source that cannot be read twice (standard input, a FIFO, a pipe), copied into an unlinked
// temporary file while it is read the first time. Later reads replay the copy and then go on with
// the source itself if the first read did not reach its end. When the copy cannot be made (no
// temporary directory, disk full) the first read goes on and only a later one fails: a run that
// reads the source once does not depend on $TMPDIR. Not thread-safe.
struct SpoolFile {
  SpoolFile() = default;
  ~SpoolFile();
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;

  // Creates the temporary file in $TMPDIR (or /tmp) for the source whose descriptor is live;
  // sets error when it cannot. name: the source's name for messages.
  void create(int live, bool own_live, std::string name);
  // Called before each read: throws Error{kIo} (with error) when this is not the first read and
  // the copy could not be made.
  void start_read();

  std::string name;
  int live = -1;  // the source, until its end was read
  bool own_live = false;
  int copy = -1;  // the unlinked temporary file
  std::uint64_t size = 0;
  bool ended = false;
  std::string dir;    // where the copy is, for messages
  std::string error;  // why the copy could not be made; empty when it is whole
  int reads = 0;
};

// Raw bytes of one open file. Regular files are read with pread() from a start offset; anything
// else is waited for with poll() in slices of 100 ms, asking stop() in between, so that a signal
// ends the wait even when the handler was installed with SA_RESTART.
class RawInput {
 public:
  enum class Status { kOk, kEnd, kError, kStopped };
  // fd: read, not closed (the caller owns it); ignored when spool is set (the spool's live
  // descriptor is read then). seekable: fd is a regular file, read with pread() from start.
  RawInput(int fd, bool seekable, std::uint64_t start, SpoolFile* spool,
           std::function<bool()> stop);
  // Up to n bytes; 0 at the end or on a problem (status() says which).
  std::size_t read(char* out, std::size_t n);
  Status status() const { return m_status; }
  int error() const { return m_errno; }
  std::uint64_t consumed() const { return m_pos; }

 private:
  std::size_t read_live(int fd, bool seekable, char* out, std::size_t n);
  int m_fd;
  bool m_seekable;
  std::uint64_t m_start;
  SpoolFile* m_spool;
  std::function<bool()> m_stop;
  std::uint64_t m_pos = 0;
  Status m_status = Status::kOk;
  int m_errno = 0;
};

// Decoded bytes of a RawInput: gzip (one or more members) when the data starts with the gzip
// magic, else the bytes as they are.
class Decoder {
 public:
  enum class Status {
    kOk,         // more may follow
    kEnd,        // the data ended where it should
    kTruncated,  // a gzip stream ended before its end marker
    kCorrupt,    // the gzip data is damaged
    kReadError,  // reading failed (RawInput::error())
    kStopped,    // stop() returned true while waiting for data
  };
  explicit Decoder(RawInput& raw);
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  // Up to n decoded bytes; 0 when there are no more (status() says why).
  std::size_t read(char* out, std::size_t n);
  // The first n decoded bytes (fewer when the data is shorter), without consuming them.
  std::string_view peek(std::size_t n);
  // Drops the first n bytes of what peek() returned.
  void skip(std::size_t n);
  Status status() const { return m_status; }
  // Why the data ended early (kTruncated, kCorrupt, kReadError), for messages.
  std::string problem() const;
  // Bytes followed the end of the gzip data (ignored, as gzip -d does).
  bool trailing_garbage() const { return m_trailing; }
  std::uint64_t raw_consumed() const { return m_raw.consumed(); }

 private:
  bool fill(std::size_t want);  // at least want bytes in m_in (fewer at the end)
  std::size_t read_decoded(char* out, std::size_t n);
  RawInput& m_raw;
  std::vector<unsigned char> m_in;
  std::size_t m_in_begin = 0, m_in_end = 0;
  bool m_raw_end = false;
  bool m_started = false;
  bool m_gzip = false;
  bool m_member_done = false;
  bool m_trailing = false;
  bool m_zinit = false;
  z_stream m_z{};
  std::string m_peeked;
  Status m_status = Status::kOk;
  std::string m_zmsg;
};

// When text starts like UTF-16 or UTF-32 (a byte order mark, or the NUL bytes of ASCII text in
// those encodings), the encoding's description ("UTF-16 (little-endian)") and the iconv name to
// convert from ("UTF-16" with a mark, "UTF-16LE" without); empty strings otherwise.
struct ForeignEncoding {
  std::string description;
  std::string iconv_name;
};
ForeignEncoding foreign_encoding(std::string_view head);

}  // namespace sitrep::indexer
