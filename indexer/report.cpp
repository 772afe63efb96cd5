#include "report.hpp"

#include <cstdio>
#include <iostream>

#include <unistd.h>

namespace sitrep::indexer {

Progress::Progress(std::uint64_t total_bytes)
    : m_enabled(::isatty(STDERR_FILENO)), m_total(total_bytes) {}

void Progress::update(std::size_t records, std::uint64_t bytes_done) {
  if (!m_enabled) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - m_last < std::chrono::milliseconds(250)) return;
  m_last = now;
  const double secs = std::chrono::duration<double>(now - m_start).count();
  const double rate = secs > 0 ? static_cast<double>(records) / secs : 0;
  char line[160];
  if (m_total > 0 && bytes_done > 0 && bytes_done <= m_total) {
    const double frac = static_cast<double>(bytes_done) / static_cast<double>(m_total);
    const long eta = static_cast<long>(secs / frac - secs);
    std::snprintf(line, sizeof line,
                  "\r\033[Ksitrep-index: %zu records, %.0f/s, %.0f%%, ETA %ld:%02ld", records, rate,
                  frac * 100, eta / 60, eta % 60);
  } else {
    std::snprintf(line, sizeof line, "\r\033[Ksitrep-index: %zu records, %.0f/s", records, rate);
  }
  std::cerr << line << std::flush;
  m_shown = true;
}

void Progress::clear() {
  if (m_shown) std::cerr << "\r\033[K" << std::flush;
  m_shown = false;
}

void Diagnostics::error(const Origin& origin, const std::string& message) {
  emit("error", m_errors, origin, message);
}

void Diagnostics::warning(const Origin& origin, const std::string& message) {
  emit("warning", m_warnings, origin, message);
}

void Diagnostics::always_error(const std::string& text) {
  m_progress.clear();
  std::cerr << "sitrep-index: error: " << text << '\n';
}

void Diagnostics::always_warning(const std::string& text) {
  m_progress.clear();
  std::cerr << "sitrep-index: warning: " << text << '\n';
}

void Diagnostics::emit(const char* kind, Held& held, const Origin& origin,
                       const std::string& message) {
  if (origin.file != m_file) {
    end_file();
    m_file = origin.file;
  }
  if (held.shown >= kShownPerFile) {
    if (held.hidden++ == 0) held.first_hidden_line = origin.line;
    return;
  }
  ++held.shown;
  m_progress.clear();
  std::cerr << "sitrep-index: " << kind << ": " << origin.str() << ": " << message << '\n';
}

void Diagnostics::flush(const char* kind, const char* plural, Held& held) {
  if (held.hidden > 0) {
    m_progress.clear();
    std::cerr << "sitrep-index: " << kind << ": " << m_file << ": " << held.hidden << " more "
              << plural << " not shown";
    if (held.first_hidden_line > 0)
      std::cerr << " (first at line " << held.first_hidden_line << ")";
    std::cerr << '\n';
  }
  held = {};
}

void Diagnostics::end_file() {
  flush("error", "errors", m_errors);
  flush("warning", "warnings", m_warnings);
}

}  // namespace sitrep::indexer
