#pragma once
// One text handed to Recognizer::recognize() (a title or a body) with its tokens, read the way
// the recogniser's rules need: each token as written, the text between tokens, the shape of a
// word (computed once, on first use), and what the words around a position say (a sentence
// starts there; a title, "in" or "the newspaper" before a name gives it a type).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text_shape.hpp"

#include "sitrep/analysis/tokenizer.hpp"
#include "sitrep/entities/entities.hpp"

namespace sitrep::entities::detail {

class Passage {
 public:
  // Starts on a new text. The tokens must outlive the use of this passage.
  void reset(std::string_view text, const std::vector<analysis::Token>& tokens);

  std::string_view text() const { return m_text; }
  std::size_t size() const { return m_tokens->size(); }
  const analysis::Token& tok(std::size_t i) const { return (*m_tokens)[i]; }
  // Token i as written.
  std::string_view original(std::size_t i) const {
    return m_text.substr(tok(i).begin, tok(i).end - tok(i).begin);
  }
  // The text between tokens i-1 and i.
  std::string_view gap(std::size_t i) const {
    return m_text.substr(tok(i - 1).end, tok(i).begin - tok(i - 1).end);
  }
  // The text after token k up to the next token (or the end of the text).
  std::string_view after(std::size_t k) const;
  Shape shape(std::size_t i) {
    if (m_shapes[i] == Shape::kUnknown) m_shapes[i] = shape_of(original(i));
    return m_shapes[i];
  }
  // Title Case Text (headlines): capitals say nothing there, so no names are discovered.
  bool title_case() const { return m_title_case; }

  // The terms of tokens [begin, end) joined by spaces; in match forms (match_form()): a
  // discovered Cyrillic name gets one id in every grammatical case (Кирилла Дмитриева and
  // Кирилл Дмитриев are x-kirill-dmitriev).
  std::string key_of(std::size_t begin, std::size_t end) const;
  std::string match_key_of(std::size_t begin, std::size_t end) const;
  // The text of tokens [begin, end) with white space collapsed ("Volodymyr\nZelensky").
  std::string name_of(std::size_t begin, std::size_t end) const;

  // Does a sentence (or a quotation) start at token i?
  bool sentence_start(std::size_t i);
  // The type the words just before token i give a name starting there: a title (envoy Kirill
  // Dmitriev, Mr. Witkoff) makes it a person; "in", "near", "city of" make it a place.
  std::optional<EntityType> context_before(std::size_t i);
  // Does a speech verb follow token end-1 ("Alison Reade said", "..., who")? Then it is a person.
  bool speaker_after(std::size_t end);

 private:
  bool is_title_case();

  std::string_view m_text;
  const std::vector<analysis::Token>* m_tokens = nullptr;
  std::vector<Shape> m_shapes;
  bool m_title_case = false;
};

}  // namespace sitrep::entities::detail
