// Story clustering (sitrep/cluster/stories.hpp) on small databases built by hand: the sample
// archive as background (so that term statistics mean something) plus short articles written
// here: one report rewritten by four outlets, and look-alike reports of other events.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "article_fixture.hpp"
#include <doctest/doctest.h>
#include <unistd.h>
#include <xapian.h>

#include "sitrep/cluster/stories.hpp"
#include "sitrep/index/document.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/util/hash.hpp"

namespace fs = std::filesystem;
using namespace sitrep;
using test::make_article;

namespace {

// Four rewrites of one report (the first, by time, is "kherson-a").
std::vector<schema::Article> rewrites() {
  return {
      make_article("kherson-b", "Shelling cuts water supply in Kherson",
                   "Russian artillery hit the main pumping station in Kherson, leaving 46,000 "
                   "residents without running water, the city military administration said. "
                   "Three engineers were wounded. Repairs will take at least four days.",
                   "en", "Northern Dispatch", "2025-04-07T10:00:00Z"),
      make_article("kherson-a", "Kherson pumping station shelled, 46,000 without water",
                   "The main water pumping station of Kherson was shelled by Russian forces on "
                   "Monday morning, wounding three engineers and cutting water to 46,000 people, "
                   "according to the city military administration. Repairs are expected to take "
                   "four days.",
                   "en", "Kyiv Ledger", "2025-04-07T08:30:00Z"),
      make_article("kherson-c", "46,000 Kherson residents without water after attack",
                   "Water supply to 46,000 Kherson residents was cut after Russian shells struck "
                   "the city's pumping station. Three engineers were injured, the military "
                   "administration said, and repair crews need four days.",
                   "en", "Harbour Times", "2025-04-08"),
      make_article("kherson-d", "Russian shells hit Kherson water station",
                   "Three engineers were wounded when Russian shelling damaged the main pumping "
                   "station in Kherson. The city military administration said 46,000 people have "
                   "no running water; repairs will take four days.",
                   "en", "Capital Bulletin", "2025-04-08T15:00:00Z"),
  };
}

// Other events in the same days and place.
std::vector<schema::Article> look_alikes() {
  return {
      make_article("kherson-market", "Drone strike on Kherson market kills two",
                   "A Russian drone dropped explosives on a covered market in Kherson's Dnipro "
                   "district, killing two vendors and wounding five shoppers, the regional "
                   "administration said.",
                   "en", "Kyiv Ledger", "2025-04-08T12:00:00Z"),
      make_article("kherson-bus", "Bus hit by drone near Kherson, driver injured",
                   "A municipal bus carrying eleven passengers was hit by a drone on the outskirts "
                   "of Kherson; the driver was injured, passengers escaped unhurt, the regional "
                   "governor said.",
                   "en", "Northern Dispatch", "2025-04-09T09:00:00Z"),
  };
}

struct TempDb {
  fs::path dir;
  explicit TempDb(const std::string& name)
      : dir(fs::temp_directory_path() /
            ("sitrep-stories-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
  }
  ~TempDb() { fs::remove_all(dir); }
};

void add_all(Xapian::WritableDatabase& db, const std::vector<schema::Article>& articles) {
  index::DocumentBuilder builder;
  std::string lang;
  for (const schema::Article& a : articles) db.add_document(builder.build(a, lang));
  db.commit();
}

// id -> story value of every document.
std::map<std::string, std::string> stories(const Xapian::Database& db) {
  std::map<std::string, std::string> out;
  const std::string q(schema::prefix::kId);
  for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
    auto t = db.termlist_begin(*p);
    t.skip_to(q);
    REQUIRE(t != db.termlist_end(*p));
    out[(*t).substr(q.size())] = db.get_document(*p).get_value(schema::slot::kStory);
  }
  return out;
}

Xapian::docid docid_of(const Xapian::Database& db, const std::string& id) {
  const std::string term = std::string(schema::prefix::kId) + id;
  auto p = db.postlist_begin(term);
  REQUIRE(p != db.postlist_end(term));
  return *p;
}

std::vector<schema::Article> base_set() {
  std::vector<schema::Article> all = test::load_sample_archive();
  for (auto& a : rewrites()) all.push_back(a);
  for (auto& a : look_alikes()) all.push_back(a);
  return all;
}

}  // namespace

TEST_CASE("stories: rewrites join one story named after its first article, look-alikes do not") {
  TempDb t("basic");
  Xapian::WritableDatabase db(t.dir.string(), Xapian::DB_CREATE);
  add_all(db, base_set());
  const cluster::StoryCounts c = cluster::assign_stories(db, {});
  db.commit();
  CHECK(c.assigned == db.get_doccount());
  const auto got = stories(db);
  for (const auto& [id, story] : got) {
    INFO(id);
    REQUIRE(story.size() == 16);
    CHECK(story.find_first_not_of("0123456789abcdef") == std::string::npos);
  }
  const std::string rewrite_story = hash64_hex("kherson-a");
  for (const char* id : {"kherson-a", "kherson-b", "kherson-c", "kherson-d"}) {
    INFO(id);
    CHECK(got.at(id) == rewrite_story);
  }
  CHECK(got.at("kherson-market") == hash64_hex("kherson-market"));
  CHECK(got.at("kherson-bus") == hash64_hex("kherson-bus"));
  std::set<std::string> distinct;
  for (const auto& [id, story] : got) distinct.insert(story);
  CHECK(c.new_stories == distinct.size());

  // Rewrites are similar, look-alikes much less so.
  const double same =
      cluster::article_similarity(db, docid_of(db, "kherson-a"), docid_of(db, "kherson-d"));
  const double other =
      cluster::article_similarity(db, docid_of(db, "kherson-a"), docid_of(db, "kherson-market"));
  CHECK(same > 0.3);
  CHECK(other < same / 2);
  CHECK(cluster::article_similarity(db, docid_of(db, "kherson-a"), docid_of(db, "kherson-a")) ==
        doctest::Approx(1.0));

  SUBCASE("a second pass assigns nothing and changes nothing") {
    CHECK(cluster::assign_stories(db, {}).assigned == 0);
    CHECK(stories(db) == got);
  }
  SUBCASE("recluster gives the same assignment") {
    cluster::StoryOptions o;
    o.recluster = true;
    CHECK(cluster::assign_stories(db, o).assigned == db.get_doccount());
    CHECK(stories(db) == got);
  }
  SUBCASE("only the value changes: terms, length and data are the same") {
    const Xapian::docid did = docid_of(db, "kherson-b");
    CHECK(db.get_doclength(did) > 0);
    TempDb t2("plain");
    Xapian::WritableDatabase plain(t2.dir.string(), Xapian::DB_CREATE);
    add_all(plain, base_set());
    const Xapian::docid pdid = docid_of(plain, "kherson-b");
    CHECK(db.get_doclength(did) == plain.get_doclength(pdid));
    CHECK(db.get_document(did).get_data() == plain.get_document(pdid).get_data());
    CHECK(std::vector<std::string>(db.termlist_begin(did), db.termlist_end(did)) ==
          std::vector<std::string>(plain.termlist_begin(pdid), plain.termlist_end(pdid)));
    CHECK(plain.get_document(pdid).get_value(schema::slot::kStory).empty());
  }
}

TEST_CASE("stories: the assignment does not depend on the order documents were added") {
  std::vector<schema::Article> all = base_set();
  TempDb t1("order1"), t2("order2");
  Xapian::WritableDatabase a(t1.dir.string(), Xapian::DB_CREATE);
  add_all(a, all);
  std::reverse(all.begin(), all.end());
  Xapian::WritableDatabase b(t2.dir.string(), Xapian::DB_CREATE);
  add_all(b, all);
  cluster::assign_stories(a, {});
  cluster::assign_stories(b, {});
  a.commit();
  b.commit();
  CHECK(stories(a) == stories(b));
}

TEST_CASE("stories: incremental runs join existing stories and change no assignment") {
  TempDb t("incr");
  Xapian::WritableDatabase db(t.dir.string(), Xapian::DB_CREATE);
  add_all(db, base_set());
  cluster::assign_stories(db, {});
  db.commit();
  const auto before = stories(db);

  add_all(db, {make_article("kherson-e", "Kherson: four days to fix shelled pumping station",
                            "Russian shelling of the Kherson pumping station wounded three "
                            "engineers and cut running water to 46,000 residents, the military "
                            "administration said; repairs will take four days.",
                            "en", "Meridian Press Agency", "2025-04-09T07:00:00Z"),
               // The same report two weeks later is out of the window: a new story.
               make_article("kherson-late", "Shelling cuts water supply in Kherson",
                            "Russian artillery hit the main pumping station in Kherson, leaving "
                            "46,000 residents without running water, the city military "
                            "administration said. Three engineers were wounded. Repairs will "
                            "take at least four days.",
                            "en", "Gulf Dispatch", "2025-04-23T10:00:00Z"),
               // Undated: compared by content alone.
               make_article("kherson-undated", "Kherson water station shelled",
                            "Three engineers were wounded and 46,000 Kherson residents lost "
                            "running water when Russian shells hit the city's main pumping "
                            "station, the military administration said.",
                            "en", "Vestnik Nedeli", "")});
  const cluster::StoryCounts c = cluster::assign_stories(db, {});
  db.commit();
  CHECK(c.assigned == 3);
  CHECK(c.read >= 3);
  CHECK(c.read < db.get_doccount());  // only the windows of the new articles were read
  const auto after = stories(db);
  for (const auto& [id, story] : before) {
    INFO(id);
    CHECK(after.at(id) == story);
  }
  CHECK(after.at("kherson-e") == hash64_hex("kherson-a"));
  CHECK(after.at("kherson-late") == hash64_hex("kherson-late"));
  CHECK(after.at("kherson-undated") == hash64_hex("kherson-a"));

  SUBCASE("a wider window lets the late copy join") {
    cluster::StoryOptions o;
    o.recluster = true;
    o.window_days = 20;
    cluster::assign_stories(db, o);
    CHECK(stories(db).at("kherson-late") == hash64_hex("kherson-a"));
  }
}

TEST_CASE("stories: a stopped pass assigns nothing, a stopped recluster keeps the old stories") {
  TempDb t("stop");
  Xapian::WritableDatabase db(t.dir.string(), Xapian::DB_CREATE);
  add_all(db, base_set());
  cluster::StoryOptions o;
  o.stop = [] { return true; };
  CHECK(cluster::assign_stories(db, o).assigned == 0);
  db.commit();
  for (const auto& [id, story] : stories(db)) CHECK(story.empty());

  cluster::assign_stories(db, {});
  db.commit();
  const auto before = stories(db);
  // Stop in the middle of writing a recluster: the transaction is cancelled. The pass asks once
  // while reading (fewer than 256 documents), once per document while assigning and once per
  // document while writing: stop after 10 documents are written.
  const std::size_t n = db.get_doccount();
  REQUIRE(n < 256);
  std::size_t calls = 0;
  o.recluster = true;
  o.window_days = 0;  // would change assignments
  o.stop = [&calls, n] { return ++calls > 1 + n + 10; };
  const cluster::StoryCounts c = cluster::assign_stories(db, o);
  CHECK(calls == 1 + n + 11);
  CHECK(c.assigned == 0);
  db.commit();
  CHECK(stories(db) == before);
  // Unstopped, the same options do change assignments (so the check above means something).
  o.stop = nullptr;
  cluster::assign_stories(db, o);
  db.commit();
  CHECK(stories(db) != before);
}

TEST_CASE("stories: two very short articles need more than a few shared terms to join") {
  TempDb t("short");
  Xapian::WritableDatabase db(t.dir.string(), Xapian::DB_CREATE);
  std::vector<schema::Article> all = base_set();
  all.push_back(make_article("short-1", "Derna floods", "Floods cut the coastal road near Derna.",
                             "en", "Harbour Times", "2025-04-07T09:00:00Z"));
  all.push_back(make_article("short-2", "Aid for Derna",
                             "A convoy brought tents to Derna, where floods hit.", "en",
                             "Capital Bulletin", "2025-04-08T09:00:00Z"));
  add_all(db, all);
  // On two or three words their cosine is above the threshold...
  cluster::StoryOptions o;
  REQUIRE(cluster::article_similarity(db, docid_of(db, "short-1"), docid_of(db, "short-2"), o) >=
          o.threshold);
  // ...but they share fewer than min_shared_terms signature terms: two stories.
  cluster::assign_stories(db, o);
  db.commit();
  CHECK(stories(db).at("short-2") == hash64_hex("short-2"));
  o.recluster = true;
  o.min_shared_terms = 1;
  cluster::assign_stories(db, o);
  db.commit();
  CHECK(stories(db).at("short-2") == hash64_hex("short-1"));
}
