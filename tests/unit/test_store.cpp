// store/: the one translation of Xapian's exceptions (xapian_call.hpp), the reopen-and-retry of a
// read that a writer's commits overtake, the schema-version check and the lexicon reader
// (metadata.hpp).
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>
#include <unistd.h>
#include <xapian.h>

#include "sitrep/schema/fields.hpp"
#include "sitrep/store/metadata.hpp"
#include "sitrep/store/stats.hpp"
#include "sitrep/store/xapian_call.hpp"
#include "sitrep/util/error.hpp"

using namespace sitrep;
namespace fs = std::filesystem;

namespace {

// A fresh directory for a database, removed at the end.
struct TempDb {
  std::string path;
  explicit TempDb(const char* name) {
    path = (fs::temp_directory_path() /
            ("sitrep-store-" + std::string(name) + "-" + std::to_string(::getpid())))
               .string();
    fs::remove_all(path);
  }
  ~TempDb() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

const store::XapianContext kOpening{"cannot open database", "/srv/news"};

Error translated(const Xapian::Error& e, const store::XapianContext& c = kOpening) {
  return store::translate(e, c);
}

// The Error that call() ends with.
template <class Call>
Error error_of(Call&& call) {
  try {
    call();
  } catch (const Error& e) {
    return e;
  }
  FAIL("no sitrep::Error thrown");
  return Error(ErrorKind::kInternal, "");
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("store: every Xapian exception has its ErrorKind") {
  using K = ErrorKind;
  CHECK(store::xapian_error_kind(Xapian::DatabaseModifiedError("m")) == K::kBusy);
  CHECK(store::xapian_error_kind(Xapian::DatabaseLockError("m")) == K::kBusy);
  CHECK(store::xapian_error_kind(Xapian::DatabaseNotFoundError("m")) == K::kNotFound);
  CHECK(store::xapian_error_kind(Xapian::DatabaseVersionError("m")) == K::kSchema);
  CHECK(store::xapian_error_kind(Xapian::DatabaseCorruptError("m")) == K::kIo);
  CHECK(store::xapian_error_kind(Xapian::DatabaseOpeningError("m")) == K::kIo);
  CHECK(store::xapian_error_kind(Xapian::DatabaseCreateError("m")) == K::kIo);
  CHECK(store::xapian_error_kind(Xapian::DatabaseError("m", ENOSPC)) == K::kIo);  // disk full
  CHECK(store::xapian_error_kind(Xapian::DatabaseError("m", EIO)) == K::kIo);
  CHECK(store::xapian_error_kind(Xapian::DocNotFoundError("m")) == K::kIo);
  CHECK(store::xapian_error_kind(Xapian::NetworkError("m")) == K::kIo);
  CHECK(store::xapian_error_kind(Xapian::QueryParserError("m")) == K::kBadQuery);
  CHECK(store::xapian_error_kind(Xapian::WildcardError("m")) == K::kLimit);
  CHECK(store::xapian_error_kind(Xapian::FeatureUnavailableError("m")) == K::kConfig);
  CHECK(store::xapian_error_kind(Xapian::InvalidArgumentError("m")) == K::kInternal);
  CHECK(store::xapian_error_kind(Xapian::InvalidOperationError("m")) == K::kInternal);
  CHECK(store::xapian_error_kind(Xapian::UnimplementedError("m")) == K::kInternal);
  CHECK(store::xapian_error_kind(Xapian::DatabaseClosedError("m")) == K::kInternal);
  CHECK(store::xapian_error_kind(Xapian::InternalError("m")) == K::kInternal);
  CHECK(store::xapian_error_kind(Xapian::RangeError("m")) == K::kInternal);
  // The cause, when Xapian says it is a permission: whatever the class.
  CHECK(store::xapian_error_kind(Xapian::DatabaseOpeningError("m", EACCES)) == K::kPermission);
  CHECK(store::xapian_error_kind(Xapian::DatabaseLockError("m", EPERM)) == K::kPermission);
}

TEST_CASE("store: translated messages name what was done and the database") {
  CHECK(std::string(translated(Xapian::DatabaseNotFoundError("gone")).what()) ==
        "no sitrep database at /srv/news");
  CHECK(std::string(translated(Xapian::DatabaseLockError("held")).what()) ==
        "database /srv/news is busy: another program is writing to it (held)");
  CHECK(std::string(translated(Xapian::DatabaseOpeningError("iamglass", EACCES)).what()) ==
        "permission denied: cannot open database /srv/news: iamglass");
  const Error io = translated(Xapian::DatabaseError("Error writing block", ENOSPC),
                              {"writing", "/srv/news", " (hint)"});
  CHECK(io.kind() == ErrorKind::kIo);
  CHECK(contains(io.what(), "writing /srv/news: DatabaseError: Error writing block"));
  CHECK(contains(io.what(), " (hint)"));
  CHECK(contains(translated(Xapian::DatabaseCorruptError("bad block")).what(),
                 "cannot open database /srv/news: DatabaseCorruptError: bad block (the database "
                 "is damaged; rebuild it with sitrep-index --rebuild)"));
  CHECK(contains(translated(Xapian::DatabaseModifiedError("m")).what(),
                 "database /srv/news changed while it was being read; try again"));
  CHECK(std::string(translated(Xapian::QueryParserError("Syntax: <expression> AND"),
                               {"cannot parse query", ""})
                        .what()) == "cannot parse query: Syntax: <expression> AND");
  CHECK(contains(
      translated(Xapian::WildcardError("Pattern 'a' expands to more than 1000 terms")).what(),
      "a wildcard matches too many words; make it longer: Pattern"));
  CHECK(std::string(
            translated(Xapian::WildcardError("m"), {"searching", "db", {}, "too many"}).what()) ==
        "too many: m");
}

TEST_CASE("store: xapian_call translates Xapian errors only, xapian_ok drops them") {
  const Error e = error_of(
      [] { store::xapian_call(kOpening, [] { throw Xapian::DatabaseLockError("held"); }); });
  CHECK(e.kind() == ErrorKind::kBusy);
  // A sitrep::Error passes through unchanged.
  const Error mine = error_of(
      [] { store::xapian_call(kOpening, [] { throw Error(ErrorKind::kUsage, "mine"); }); });
  CHECK(mine.kind() == ErrorKind::kUsage);
  CHECK(std::string(mine.what()) == "mine");
  CHECK_THROWS_AS(store::xapian_call(kOpening, [] { throw std::runtime_error("other"); }),
                  std::runtime_error);
  CHECK(store::xapian_call(kOpening, [] { return 42; }) == 42);

  CHECK(store::xapian_ok([] {}));
  CHECK_FALSE(store::xapian_ok([] { throw Xapian::DatabaseCorruptError("bad"); }));
  CHECK_THROWS_AS(store::xapian_ok([] { throw Error(ErrorKind::kIo, "x"); }), Error);

  TempDb missing("missing");
  CHECK(error_of([&] { store::open_database(missing.path, "news"); }).kind() ==
        ErrorKind::kNotFound);
}

TEST_CASE("store: retry pauses are capped (no shift overflow however long a deadline runs)") {
  using std::chrono::milliseconds;
  CHECK(store::retry_pause(1) == milliseconds(0));
  CHECK(store::retry_pause(2) == milliseconds(4));
  CHECK(store::retry_pause(3) == milliseconds(8));
  CHECK(store::retry_pause(4) == milliseconds(16));
  CHECK(store::retry_pause(5) == milliseconds(32));
  CHECK(store::retry_pause(6) == milliseconds(50));
  CHECK(store::retry_pause(32) == milliseconds(50));
  CHECK(store::retry_pause(1000) == milliseconds(50));
}

TEST_CASE("store: retrying gives up after its attempts, or at its deadline, with kBusy") {
  store::RetryPolicy three;
  three.attempts = 3;
  three.pause = false;
  int reads = 0, reopens = 0;
  const Error busy = error_of([&] {
    store::retrying(
        {"searching", "/srv/news"}, three,
        [&] {
          ++reads;
          throw Xapian::DatabaseModifiedError("overtaken");
        },
        [&] { ++reopens; });
  });
  CHECK(busy.kind() == ErrorKind::kBusy);
  CHECK(contains(busy.what(), "database /srv/news changed while it was being read (3 attempts"));
  CHECK(reads == 3);
  CHECK(reopens == 2);

  // A deadline already past: no retry.
  store::RetryPolicy late;
  late.deadline = std::chrono::steady_clock::now();
  reads = 0;
  CHECK(error_of([&] {
          store::retrying(
              {"searching", "/srv/news"}, late,
              [&] {
                ++reads;
                throw Xapian::DatabaseModifiedError("overtaken");
              },
              [] {});
        }).kind() == ErrorKind::kBusy);
  CHECK(reads == 1);

  // The time running out in a retry is the writer's doing: kBusy, not kTimeout. On the first
  // attempt it is the query's: kTimeout.
  reads = 0;
  const Error timed_out = error_of([&] {
    store::retrying(
        {"searching", "/srv/news"}, three,
        [&]() -> int {
          if (++reads == 1) throw Xapian::DatabaseModifiedError("overtaken");
          throw Error(ErrorKind::kTimeout, "too slow");
        },
        [] {});
  });
  CHECK(timed_out.kind() == ErrorKind::kBusy);
  CHECK(error_of([&] {
          store::retrying(
              {"searching", "/srv/news"}, three,
              [] { throw Error(ErrorKind::kTimeout, "too slow"); }, [] {});
        }).kind() == ErrorKind::kTimeout);
  // Other Xapian errors are not retried.
  reads = 0;
  CHECK(error_of([&] {
          store::retrying(
              {"searching", "/srv/news"}, three,
              [&] {
                ++reads;
                throw Xapian::DatabaseCorruptError("bad");
              },
              [] {});
        }).kind() == ErrorKind::kIo);
  CHECK(reads == 1);
}

TEST_CASE("store: a read overtaken by two commits is reopened and retried") {
  TempDb tmp("modified");
  Xapian::WritableDatabase writer(tmp.path, Xapian::DB_CREATE_OR_OVERWRITE);
  // Each commit rewrites every document: enough blocks (500 documents) that the second commit
  // reuses blocks of the revision before the first.
  auto put = [&](int version) {
    for (Xapian::docid d = 1; d <= 500; ++d) {
      Xapian::Document doc;
      doc.set_data("version " + std::to_string(version) + std::string(300, 'x'));
      for (int i = 0; i < 20; ++i) doc.add_term("w" + std::to_string(version * 1000 + i));
      writer.replace_document(d, doc);
    }
    writer.commit();
  };
  put(1);
  // The data's "version N", read by a reader that opened before the commits.
  auto read_from = [](Xapian::Database& reader) {
    const std::string data = reader.get_document(1).get_data();
    return data.substr(0, data.find('x'));
  };
  // A reader that opens, then sees two commits before it reads anything: its revision's blocks
  // are reused by the second (glass keeps only the previous revision's), which Xapian notices.
  int version = 1;
  std::optional<Xapian::Database> reader;
  bool overtaken = false;
  for (int round = 0; round < 10 && !overtaken; ++round) {
    reader.emplace(tmp.path);
    put(++version);
    put(++version);
    overtaken = !store::xapian_ok([&] { read_from(*reader); });
  }
  REQUIRE_MESSAGE(overtaken, "two commits never overtook a read");

  // Without a retry: kBusy.
  const Error busy = error_of([&] {
    store::xapian_call({"reading", tmp.path}, [&] { return read_from(*reader); });
  });
  CHECK(busy.kind() == ErrorKind::kBusy);
  // With one: reopened at the latest revision and read again.
  int reopens = 0;
  const std::string data = store::retrying(
      {"reading", tmp.path}, store::RetryPolicy{}, [&] { return read_from(*reader); },
      [&] {
        ++reopens;
        reader->reopen();
      });
  CHECK(data == "version " + std::to_string(version));
  CHECK(reopens == 1);
}

TEST_CASE("store: the schema check passes this version and empty databases only") {
  TempDb tmp("schema");
  Xapian::WritableDatabase db(tmp.path, Xapian::DB_CREATE_OR_OVERWRITE);
  CHECK(store::schema_version(db).empty());
  CHECK_NOTHROW(store::check_schema(db, "news"));  // empty: a run stamps it
  db.set_metadata(std::string(schema::meta::kSchemaVersion), "999");
  CHECK_NOTHROW(store::check_schema(db, "news"));  // still empty

  db.add_document(Xapian::Document());
  const Error foreign = error_of([&] { store::check_schema(db, "news"); });
  CHECK(foreign.kind() == ErrorKind::kSchema);
  CHECK(contains(foreign.what(), "database news has schema version 999"));
  CHECK(contains(foreign.what(), "rebuild it with sitrep-index --rebuild"));

  db.set_metadata(std::string(schema::meta::kSchemaVersion), "");
  CHECK(contains(error_of([&] { store::check_schema(db, "news"); }).what(),
                 "(none: not a sitrep database)"));

  store::set_schema_version(db);
  CHECK(store::schema_version(db) == std::to_string(schema::kSchemaVersion));
  CHECK_NOTHROW(store::check_schema(db, "news"));
}

TEST_CASE("store: the lexicon reads back as written") {
  TempDb tmp("lexicon");
  Xapian::WritableDatabase db(tmp.path, Xapian::DB_CREATE_OR_OVERWRITE);
  store::Lexicon lexicon;
  lexicon["zelensky"] = {
      schema::EntityType::kPerson, "Volodymyr Zelensky", {"zelensky", "volodymyr zelensky"}};
  lexicon["kyiv"] = {schema::EntityType::kPlace, "Kyiv", {"kyiv", "kiev"}};
  lexicon["unnamed"] = {schema::EntityType::kOther, "", {"unnamed"}};
  store::write_lexicon(db, lexicon);
  db.commit();

  const store::Lexicon back = store::read_lexicon(db);
  REQUIRE(back.size() == 3);
  CHECK(back.at("zelensky").type == schema::EntityType::kPerson);
  CHECK(back.at("zelensky").name == "Volodymyr Zelensky");
  CHECK(back.at("zelensky").keys.size() == 2);
  CHECK(back.at("kyiv").keys.size() == 2);
  CHECK(store::read_lexicon(db, /*with_keys=*/false).at("kyiv").keys.empty());

  const auto entry = store::lexicon_entry(db, "kyiv");
  REQUIRE(entry.has_value());
  CHECK(entry->type == schema::EntityType::kPlace);
  CHECK(entry->name == "Kyiv");
  CHECK_FALSE(store::lexicon_entry(db, "nobody").has_value());

  CHECK(store::entity_name(db, "kyiv") == "Kyiv");
  CHECK(store::entity_name(db, "unnamed") == "unnamed");  // no name: the id
  CHECK(store::entity_name(db, "nobody") == "nobody");

  CHECK(store::alias_ids(db, "kiev") == std::vector<std::string>{"kyiv"});
  CHECK(store::alias_ids(db, "nothing").empty());
  // A key two entities share lists both, as stored (sorted).
  store::Lexicon more;
  more["kyiv-oblast"] = {schema::EntityType::kPlace, "Kyiv Oblast", {"kyiv"}};
  store::write_lexicon(db, more);
  CHECK(store::alias_ids(db, "kyiv") == std::vector<std::string>{"kyiv", "kyiv-oblast"});
}

TEST_CASE("store: database statistics") {
  TempDb tmp("stats");
  CHECK(error_of([&] { store::database_stats(tmp.path); }).kind() == ErrorKind::kNotFound);
  {
    Xapian::WritableDatabase db(tmp.path, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::Document doc;
    doc.add_boolean_term(std::string(schema::prefix::kLanguage) + "en");
    doc.add_boolean_term(std::string(schema::prefix::kSource) + "wire");
    doc.add_value(schema::slot::kDate, "20240203");
    db.add_document(doc);
    Xapian::Document undated;
    undated.add_boolean_term(std::string(schema::prefix::kLanguage) + "en");
    undated.add_boolean_term(std::string(schema::prefix::kNoDate));
    db.add_document(undated);
    store::set_schema_version(db);
    db.commit();
  }
  const store::DatabaseStats s = store::database_stats(tmp.path);
  CHECK(s.opened);
  CHECK(s.damaged.empty());
  CHECK(s.documents == 2);
  CHECK(s.schema_version == std::to_string(schema::kSchemaVersion));
  CHECK(s.undated == 1);
  CHECK(s.first_date == "2024-02-03");
  CHECK(s.last_date == "2024-02-03");
  REQUIRE(s.languages.size() == 1);
  CHECK(s.languages[0] == std::pair<std::string, Xapian::doccount>{"en", 2});
  REQUIRE(s.sources.size() == 1);
  CHECK(s.sources[0].first == "wire");
  CHECK(s.facet_column == store::FacetColumn::State::kAbsent);
  CHECK(s.size_bytes > 0);
}
