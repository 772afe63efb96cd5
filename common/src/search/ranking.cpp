#include "sitrep/search/ranking.hpp"

#include <algorithm>
#include <cmath>

#include "sitrep/schema/terms.hpp"
#include "sitrep/util/error.hpp"

namespace sitrep::search {

std::optional<DefaultOp> parse_default_op(std::string_view name) {
  if (name == "auto") return DefaultOp::kAuto;
  if (name == "and") return DefaultOp::kAnd;
  if (name == "or") return DefaultOp::kOr;
  return std::nullopt;
}

std::string_view default_op_name(DefaultOp op) {
  switch (op) {
    case DefaultOp::kAnd:
      return "and";
    case DefaultOp::kOr:
      return "or";
    case DefaultOp::kAuto:
      break;
  }
  return "auto";
}

bool shouted_sentence(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (const char c : text) {
    if (c >= 'a' && c <= 'z') return false;
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words >= kSentenceWords;
}

namespace {

// Function words only: articles, pronouns, prepositions, conjunctions, auxiliaries. Words that
// are also names or content in news ("us" for U.S., "may", "will", "can", "new") are left out.
// Written for sitrep (no stop list ships with the Debian packages the project uses).
const char* const kEnglish[] = {
    "a",      "about",    "above",     "after",      "again",   "against", "all",     "am",
    "an",     "and",      "any",       "are",        "as",      "at",      "be",      "because",
    "been",   "before",   "being",     "below",      "between", "both",    "but",     "by",
    "could",  "did",      "do",        "does",       "doing",   "down",    "during",  "each",
    "few",    "for",      "from",      "further",    "had",     "has",     "have",    "having",
    "he",     "her",      "here",      "hers",       "herself", "him",     "himself", "his",
    "how",    "i",        "if",        "in",         "into",    "is",      "it",      "its",
    "itself", "me",       "more",      "most",       "my",      "myself",  "no",      "nor",
    "not",    "of",       "off",       "on",         "once",    "only",    "or",      "other",
    "ought",  "our",      "ours",      "ourselves",  "out",     "over",    "own",     "same",
    "she",    "should",   "so",        "some",       "such",    "than",    "that",    "the",
    "their",  "theirs",   "them",      "themselves", "then",    "there",   "these",   "they",
    "this",   "those",    "through",   "to",         "too",     "under",   "until",   "up",
    "very",   "was",      "we",        "were",       "what",    "when",    "where",   "which",
    "while",  "who",      "whom",      "why",        "with",    "would",   "you",     "your",
    "yours",  "yourself", "yourselves"};

const char* const kRussian[] = {
    "а",     "без",  "более", "бы",  "был",   "была",  "были", "было",   "быть",   "в",     "вам",
    "вас",   "весь", "во",    "вот", "все",   "всего", "всех", "вы",     "где",    "да",    "даже",
    "для",   "до",   "его",   "ее",  "если",  "есть",  "еще",  "же",     "за",     "здесь", "и",
    "из",    "или",  "им",    "их",  "к",     "как",   "ко",   "когда",  "кто",    "ли",    "либо",
    "между", "меня", "мне",   "мы",  "на",    "над",   "надо", "наш",    "не",     "него",  "нее",
    "нет",   "ни",   "них",   "но",  "ну",    "о",     "об",   "однако", "он",     "она",   "они",
    "оно",   "от",   "очень", "по",  "под",   "после", "при",  "с",      "со",     "так",   "также",
    "такой", "там",  "те",    "тем", "то",    "того",  "тоже", "той",    "только", "том",   "ты",
    "у",     "уже",  "чем",   "что", "чтобы", "эта",   "эти",  "это",    "этого",  "этой",  "этом",
    "этот",  "я"};

const char* const kUkrainian[] = {
    "а",    "але",   "без",  "би",     "був",  "була",  "були",  "було",  "бути", "в",    "вам",
    "вас",  "ви",    "від",  "він",    "вона", "вони",  "воно",  "все",   "всі",  "де",   "для",
    "до",   "є",     "його", "її",     "з",    "за",    "зі",    "і",     "й",    "із",   "їх",
    "к",    "коли",  "хто",  "чи",     "між",  "мене",  "мені",  "ми",    "на",   "над",  "не",
    "нема", "ні",    "ніж",  "но",     "о",    "об",    "однак", "от",    "по",   "під",  "після",
    "при",  "про",   "с",    "та",     "так",  "також", "там",   "те",    "тим",  "то",   "того",
    "тож",  "тому",  "ті",   "тільки", "у",    "уже",   "вже",   "через", "це",   "цей",  "ця",
    "ці",   "цього", "цієї", "що",     "щоб",  "як",    "який",  "яка",   "які",  "якщо", "я"};

const char* const kArabic[] = {
    "في",  "من",  "على",  "إلى", "الى",  "عن",   "مع",    "أن",    "ان",  "إن",   "أو",   "او",
    "ثم",  "لا",  "لم",   "لن",  "ما",   "ماذا", "هذا",   "هذه",   "ذلك", "تلك",  "هو",   "هي",
    "هم",  "هن",  "نحن",  "أنا", "انا",  "التي", "الذي",  "الذين", "كان", "كانت", "قد",   "لقد",
    "كل",  "بعد", "قبل",  "عند", "حتى",  "إذا",  "اذا",   "بين",   "أي",  "اي",   "أيضا", "ايضا",
    "لكن", "و",   "ف",    "ب",   "ل",    "وفي",  "ومن",   "وعلى",  "فى",  "به",   "بها",  "له",
    "لها", "منه", "منها", "فيه", "فيها", "عليه", "عليها", "وهو",   "وهي", "كما"};

template <std::size_t N>
std::set<std::string> to_set(const char* const (&words)[N]) {
  return std::set<std::string>(std::begin(words), std::end(words));
}

// The stop words of some languages: it refers to their static lists (stop_words()) rather than
// copying them into one set, which cost 3% of a --serve request (a QueryBuilder makes a stopper
// for every query).
class SetStopper : public Xapian::Stopper {
 public:
  explicit SetStopper(std::vector<const std::set<std::string>*> lists)
      : m_lists(std::move(lists)) {}
  bool operator()(const std::string& term) const override {
    return std::any_of(m_lists.begin(), m_lists.end(),
                       [&](const std::set<std::string>* words) { return words->count(term) != 0; });
  }
  std::string get_description() const override { return "sitrep::SetStopper"; }

 private:
  std::vector<const std::set<std::string>*> m_lists;
};

// Accepts the body stems (Z terms) that are not already in the query.
class StemDecider : public Xapian::ExpandDecider {
 public:
  explicit StemDecider(const Xapian::Query& query)
      : m_query(query.get_unique_terms_begin(), query.get_unique_terms_end()) {}
  bool operator()(const std::string& term) const override {
    const auto stem = schema::terms::body_stem(term);
    if (!stem || m_query.count(term) != 0) return false;
    // Not numbers (years, figures) nor the stems of stop words: they say nothing of the topic.
    if (std::all_of(stem->begin(), stem->end(),
                    [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == ','; }))
      return false;
    const std::string s(*stem);
    for (const char* lang : {"en", "ru", "uk", "ar"}) {
      if (stop_words(lang).count(s) != 0) return false;
    }
    return true;
  }

 private:
  std::set<std::string> m_query;
};

// BM25 (as Xapian::BM25Weight with k2 0, k3 1, min_normlen 0.5) plus coord for each query item
// an article matches: the more of a long query's items an article has, the higher it ranks,
// whatever their frequencies (coordination).
class CoordBM25Weight : public Xapian::Weight {
 public:
  CoordBM25Weight(double k1, double b, double coord) : m_k1(k1), m_b(b), m_coord(coord) {
    need_stat(COLLECTION_SIZE);
    need_stat(TERMFREQ);
    need_stat(WDF);
    need_stat(WQF);
    need_stat(DOC_LENGTH);
    need_stat(AVERAGE_LENGTH);
  }
  CoordBM25Weight* clone() const override { return new CoordBM25Weight(m_k1, m_b, m_coord); }
  void init(double factor) override {
    const double n = get_termfreq();
    double tw = (static_cast<double>(get_collection_size()) - n + 0.5) / (n + 0.5);
    if (tw < 2) tw = tw * 0.5 + 1;  // as BM25Weight: never negative
    const double wqf = get_wqf();
    m_termweight = std::log(tw) * (2 * wqf / (1 + wqf)) * factor;
    m_bonus = m_coord * factor;
  }
  double get_sumpart(Xapian::termcount wdf, Xapian::termcount doclen,
                     Xapian::termcount) const override {
    if (wdf == 0) return 0;
    const double avg = get_average_length();
    const double len = avg > 0 ? std::max(0.5, doclen / avg) : 1.0;
    const double k = m_k1 * ((1 - m_b) + m_b * len);
    return m_termweight * (wdf * (m_k1 + 1)) / (k + wdf) + m_bonus;
  }
  double get_maxpart() const override { return m_termweight * (m_k1 + 1) + m_bonus; }
  double get_sumextra(Xapian::termcount, Xapian::termcount) const override { return 0; }
  double get_maxextra() const override { return 0; }
  std::string name() const override { return "sitrep::CoordBM25Weight"; }

 private:
  double m_k1, m_b, m_coord;
  double m_termweight = 0, m_bonus = 0;
};

double spec_number(const std::string& spec, const std::vector<std::string>& parts, std::size_t k,
                   double fallback) {
  if (parts.size() <= k) return fallback;
  try {
    std::size_t used = 0;
    const double v = std::stod(parts[k], &used);
    if (used == parts[k].size() && v >= 0) return v;
  } catch (const std::exception&) {
  }
  throw Error(ErrorKind::kUsage, "weighting " + spec + ": '" + parts[k] + "' is not a number >= 0");
}

}  // namespace

std::unique_ptr<Xapian::Weight> make_weight(const Ranking& r) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t colon = r.weighting.find(':', start);
    parts.push_back(r.weighting.substr(start, colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  const std::string& name = parts[0];
  const auto num = [&](std::size_t k, double fallback) {
    return spec_number(r.weighting, parts, k, fallback);
  };
  if (name == "bm25") return std::make_unique<Xapian::BM25Weight>(r.k1, 0, 1, r.b, 0.5);
  if (name == "bm25+")
    return std::make_unique<Xapian::BM25PlusWeight>(r.k1, 0, 1, r.b, 0.5, num(1, 1.0));
  if (name == "coord") return std::make_unique<CoordBM25Weight>(r.k1, r.b, num(1, 0.5));
  if (name == "lm-dirichlet") {
    return std::make_unique<Xapian::LMWeight>(0.0, Xapian::Weight::DIRICHLET_SMOOTHING,
                                              num(1, 2000), num(2, -1));
  }
  if (name == "lm-2stage") {
    return std::make_unique<Xapian::LMWeight>(0.0, Xapian::Weight::TWO_STAGE_SMOOTHING, num(1, 0.7),
                                              num(2, 2000));
  }
  if (name == "lm-jm") {
    return std::make_unique<Xapian::LMWeight>(0.0, Xapian::Weight::JELINEK_MERCER_SMOOTHING,
                                              num(1, 0.7), -1.0);
  }
  if (name == "dph") return std::make_unique<Xapian::DPHWeight>();
  if (name == "dlh") return std::make_unique<Xapian::DLHWeight>();
  if (name == "pl2") return std::make_unique<Xapian::PL2Weight>(num(1, 1.0));
  if (name == "inl2") return std::make_unique<Xapian::InL2Weight>(num(1, 1.0));
  if (name == "ifb2") return std::make_unique<Xapian::IfB2Weight>(num(1, 1.0));
  if (name == "ineb2") return std::make_unique<Xapian::IneB2Weight>(num(1, 1.0));
  if (name == "bb2") return std::make_unique<Xapian::BB2Weight>(num(1, 1.0));
  if (name == "tfidf" && (parts.size() < 2 || parts[1].size() == 3)) {
    return std::make_unique<Xapian::TfIdfWeight>(parts.size() < 2 ? "ntn" : parts[1]);
  }
  throw Error(ErrorKind::kUsage, "unknown weighting scheme '" + r.weighting +
                                     "' (bm25, bm25+, coord, lm-dirichlet, lm-2stage, lm-jm, dph, "
                                     "dlh, pl2, inl2, ifb2, ineb2, bb2, tfidf)");
}

const std::set<std::string>& stop_words(std::string_view language) {
  static const std::set<std::string> en = to_set(kEnglish), ru = to_set(kRussian),
                                     uk = to_set(kUkrainian), ar = to_set(kArabic), none;
  if (language == "en") return en;
  if (language == "ru") return ru;
  if (language == "uk") return uk;
  if (language == "ar") return ar;
  return none;
}

std::unique_ptr<Xapian::Stopper> make_stopper(const std::vector<std::string>& languages) {
  std::vector<const std::set<std::string>*> lists;
  for (const std::string& l : languages) {
    const std::set<std::string>& w = stop_words(l);
    if (!w.empty() && std::find(lists.begin(), lists.end(), &w) == lists.end()) lists.push_back(&w);
  }
  if (lists.empty()) return nullptr;
  return std::make_unique<SetStopper>(std::move(lists));
}

Xapian::Query prefer_all_terms(const Xapian::Query& q, double boost) {
  if (boost <= 0) return q;
  const auto type = q.get_type();
  const std::size_t n = q.get_num_subqueries();
  std::vector<Xapian::Query> subs;
  for (std::size_t k = 0; k < n; ++k) subs.push_back(q.get_subquery(k));
  if (type == Xapian::Query::OP_FILTER || type == Xapian::Query::OP_AND_NOT ||
      type == Xapian::Query::OP_AND_MAYBE) {
    // The ranked part is the first subquery (filters, exclusions and '+'-optional parts follow).
    if (n == 0) return q;
    if (type == Xapian::Query::OP_AND_MAYBE) {
      // "+a b": a is required, b optional: nothing to prefer beyond what AND_MAYBE does.
      return q;
    }
    subs[0] = prefer_all_terms(subs[0], boost);
    return Xapian::Query(type, subs.begin(), subs.end());
  }
  if (type != Xapian::Query::OP_OR || n < 2) return q;
  const Xapian::Query all(Xapian::Query::OP_AND, subs.begin(), subs.end());
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                       Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, all, boost));
}

namespace {

// The top OR of q (under filters and NOT), or nullptr.
const Xapian::Query* top_or(const Xapian::Query& q, Xapian::Query& holder) {
  const auto type = q.get_type();
  if ((type == Xapian::Query::OP_FILTER || type == Xapian::Query::OP_AND_NOT) &&
      q.get_num_subqueries() > 0) {
    holder = q.get_subquery(0);
    Xapian::Query inner;
    const Xapian::Query* found = top_or(holder, inner);
    if (found == &inner) {
      holder = inner;
      return &holder;
    }
    return found;
  }
  if (type == Xapian::Query::OP_OR && q.get_num_subqueries() >= 2) {
    holder = q;
    return &holder;
  }
  return nullptr;
}

}  // namespace

Xapian::Query prefer_proximity(const Xapian::Query& parsed, const Xapian::Query& query,
                               const Ranking& ranking) {
  if (ranking.proximity_weight <= 0 || ranking.proximity_window < 2) return query;
  Xapian::Query holder;
  const Xapian::Query* group = top_or(parsed, holder);
  if (!group) return query;
  std::vector<Xapian::Query> pairs;
  std::string previous;
  for (std::size_t k = 0; k < group->get_num_subqueries(); ++k) {
    const Xapian::Query sub = group->get_subquery(k);
    std::string word;
    if (sub.get_type() == Xapian::Query::LEAF_TERM) word = *sub.get_terms_begin();
    if (word.empty() || schema::terms::is_prefixed(word)) {
      previous.clear();
      continue;
    }
    if (!previous.empty() && previous != word) {
      const Xapian::Query two[] = {Xapian::Query(previous), Xapian::Query(word)};
      pairs.emplace_back(Xapian::Query::OP_NEAR, std::begin(two), std::end(two),
                         ranking.proximity_window);
    }
    previous = word;
  }
  if (pairs.empty()) return query;
  const Xapian::Query near(Xapian::Query::OP_OR, pairs.begin(), pairs.end());
  return Xapian::Query(
      Xapian::Query::OP_AND_MAYBE, query,
      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, near, ranking.proximity_weight));
}

bool has_top_or(const Xapian::Query& q) {
  const auto type = q.get_type();
  if ((type == Xapian::Query::OP_FILTER || type == Xapian::Query::OP_AND_NOT) &&
      q.get_num_subqueries() > 0) {
    return has_top_or(q.get_subquery(0));
  }
  return type == Xapian::Query::OP_OR && q.get_num_subqueries() >= 2;
}

std::size_t top_or_size(const Xapian::Query& q) {
  Xapian::Query holder;
  const Xapian::Query* group = top_or(q, holder);
  return group ? group->get_num_subqueries() : 0;
}

Xapian::Query with_feedback(const Xapian::Database& db, const Xapian::Enquire& enquire,
                            const Xapian::MSet& mset, const Xapian::Query& query,
                            const Ranking& ranking) {
  if (ranking.feedback_docs == 0 || ranking.feedback_terms == 0 || ranking.feedback_weight <= 0 ||
      mset.empty()) {
    return query;
  }
  Xapian::RSet rset;
  unsigned taken = 0;
  for (auto it = mset.begin(); it != mset.end() && taken < ranking.feedback_docs; ++it, ++taken) {
    rset.add_document(*it);
  }
  const StemDecider decider(query);
  const Xapian::ESet eset = enquire.get_eset(ranking.feedback_terms, rset, &decider);
  if (eset.empty()) return query;
  (void)db;
  std::vector<Xapian::Query> terms;
  const double top = eset.begin().get_weight();
  for (auto it = eset.begin(); it != eset.end(); ++it) {
    const double w = top > 0 ? it.get_weight() / top : 1.0;
    terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*it), w);
  }
  const Xapian::Query expansion(Xapian::Query::OP_OR, terms.begin(), terms.end());
  if (ranking.feedback_expand) {
    return Xapian::Query(
        Xapian::Query::OP_OR, query,
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, expansion, ranking.feedback_weight));
  }
  return Xapian::Query(
      Xapian::Query::OP_AND_MAYBE, query,
      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, expansion, ranking.feedback_weight));
}

}  // namespace sitrep::search
