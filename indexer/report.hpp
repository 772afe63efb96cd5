#pragma once
// What sitrep-index says on stderr while it runs: the progress line on a terminal, and the errors
// and warnings about its input, at most Diagnostics::kShownPerFile of each kind per file so that
// a file of a million bad lines does not flood cron's mail (issue 11, case 18).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "sources.hpp"

namespace sitrep::indexer {

// The progress line on a terminal: records, rate and, when the input's size is known, an ETA.
// Does nothing when stderr is not a terminal.
class Progress {
 public:
  // total_bytes: the input's size (source_bytes() of every SOURCE), 0 when unknown.
  explicit Progress(std::uint64_t total_bytes);
  void update(std::size_t records, std::uint64_t bytes_done);
  // Clears the line before any other output on stderr.
  void clear();

 private:
  bool m_enabled;
  bool m_shown = false;
  std::uint64_t m_total;
  std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point m_last{};
};

// Per-record diagnostics, grouped by the file they are about. Not thread-safe.
class Diagnostics {
 public:
  static constexpr std::size_t kShownPerFile = 20;

  explicit Diagnostics(Progress& progress) : m_progress(progress) {}
  // "sitrep-index: error: FILE:LINE: message", unless kShownPerFile errors about this file were
  // shown already: then it is only counted, for the line end_file() prints.
  void error(const Origin& origin, const std::string& message);
  // The same for "sitrep-index: warning: ...".
  void warning(const Origin& origin, const std::string& message);
  // A line that is never held back (a missing SOURCE, a file that could not be read to its end,
  // what the run did not do): "sitrep-index: error: " + text.
  void always_error(const std::string& text);
  void always_warning(const std::string& text);
  // Prints "sitrep-index: error: FILE: N more errors not shown (first at line L)" (and the same
  // for warnings) for the file the last messages were about. Called when the messages move on to
  // another file, and at the end of each SOURCE and of the run.
  void end_file();

 private:
  struct Held {
    std::size_t shown = 0, hidden = 0, first_hidden_line = 0;
  };
  void emit(const char* kind, Held& held, const Origin& origin, const std::string& message);
  void flush(const char* kind, const char* plural, Held& held);

  Progress& m_progress;
  std::string m_file;  // the file the counts below are about
  Held m_errors, m_warnings;
};

}  // namespace sitrep::indexer
