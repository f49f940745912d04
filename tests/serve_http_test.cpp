// The frequency service over HTTP: a real client (cpp-httplib) against the server on 127.0.0.1 with an
// ephemeral port. Positive, negative and malicious requests, rate limits, the controlled tier's tokens,
// budget and log, Beacon v2, privacy of what is served, and graceful shutdown of the real binary on SIGTERM.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "genomap/core/context.hpp"
#include "genomap/freqdb/frequency_database.hpp"
#include "genomap/freqdb/release_builder.hpp"
#include "genomap/serve/access_control.hpp"
#include "genomap/serve/frequency_server.hpp"
#include "registry_fixtures.hpp"

namespace genomap::test {
namespace {

using nlohmann::json;

const std::string kBfile = data_path("hapmap3_admixture/hapmap3");
const std::string kToken = "controlled-token-7f3a9c2e5b1d";

// A rounded release of the HapMap 3 data (CEU, MEX, YRI; ASW hidden), built once for the suite.
std::string hapmap_release(const std::string& dir) {
  const std::string path = dir + "/hapmap.freqdb";
  std::map<std::string, std::string> pop_of;
  const Table t = read_table(data_path("hapmap3_admixture/hapmap3_populations.tsv"));
  for (std::size_t i = 0; i < t.rows.size(); ++i) pop_of[t.text(i, "IID")] = t.text(i, "POP");
  auto store = std::make_shared<GenotypeStore>(GenotypeStore::open_bfile(kBfile));
  Dataset data = Dataset::whole(store);
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < data.sample_ct(); ++i) labels.push_back(pop_of.at(data.sample(i).iid));
  PopulationAssignment pops = assign_populations(labels);
  pops.sort_by_name();
  Context ctx;
  freqdb::build_release(data, pops, {{"CEU", {40.76, -111.89}}, {"YRI", {7.38, 3.95}}}, {}, path, ctx);
  return path;
}

// A server running on its own thread for the lifetime of the object.
class RunningServer {
 public:
  RunningServer(const freqdb::FrequencyDatabase& db, serve::ServerOptions options)
      : server_(db, [&] {
          options.bind = "127.0.0.1";
          options.port = 0;
          return options;
        }()) {
    port_ = server_.bind();
    thread_ = std::thread([this] { server_.serve(); });
  }
  ~RunningServer() {
    server_.stop();
    thread_.join();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(10);
    return c;
  }
  int port() const { return port_; }

 private:
  serve::FrequencyServer server_;
  int port_ = 0;
  std::thread thread_;
};

json body_of(const httplib::Result& r) {
  EXPECT_TRUE(r);
  if (!r) return json();
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json") << r->status << " " << r->body;
  json parsed = json::parse(r->body, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << r->body;
  return parsed;
}

class ServeHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        scratch_dir("serve_http_" + std::to_string(::getpid()));  // ctest runs each test in its own process
    db_ = std::make_unique<freqdb::FrequencyDatabase>(hapmap_release(dir_));
    write_text(dir_ + "/tokens", "# name sha256(token)\nalice " + serve::sha256_hex(kToken) + "\n");
  }
  static void TearDownTestSuite() { db_.reset(); }
  static serve::ServerOptions options() {
    serve::ServerOptions o;
    o.http_threads = 8;
    o.rate_per_client = 0;
    return o;
  }
  static inline std::string dir_;
  static inline std::unique_ptr<freqdb::FrequencyDatabase> db_;
};

TEST_F(ServeHttp, ReleasePopulationsAndHealth) {
  RunningServer server(*db_, options());
  auto c = server.client();
  json b = body_of(c.Get("/healthz"));
  EXPECT_EQ(b["status"], "ok");
  b = body_of(c.Get("/v1/release"));
  EXPECT_EQ(b["version"], "1");
  EXPECT_EQ(b["min_count"], 20);
  EXPECT_EQ(b["samples_counted"], 275);
  EXPECT_EQ(b["content_hash"], db_->info().content_hash);
  b = body_of(c.Get("/v1/populations"));
  ASSERT_EQ(b["populations"].size(), 3u);
  EXPECT_EQ(b["populations"][0]["name"], "CEU");
  EXPECT_EQ(b["populations"][0]["samples"], 112);
  EXPECT_DOUBLE_EQ(b["populations"][0]["latitude"].get<double>(), 40.76);
  EXPECT_TRUE(b["populations"][1]["latitude"].is_null());
}

TEST_F(ServeHttp, VariantByIdAndByPositionGiveRoundedFrequencies) {
  RunningServer server(*db_, options());
  auto c = server.client();
  const auto page = db_->region("1", 1, 1'000'000'000, {}, 1);
  ASSERT_EQ(page.variants.size(), 1u);
  const auto& v = page.variants[0];
  json b = body_of(c.Get("/v1/variant/" + v.id));
  ASSERT_EQ(b["variants"].size(), 1u);
  EXPECT_EQ(b["tier"], "anonymous");
  const json& f = b["variants"][0]["frequencies"];
  ASSERT_EQ(f.size(), 3u);
  for (std::size_t p = 0; p < 3; ++p) {
    const double exact = static_cast<double>(v.counts[p].alt_count) / v.counts[p].allele_number;
    EXPECT_NEAR(f[p]["allele_frequency"].get<double>(), exact, 0.0005 + 1e-12);
    EXPECT_FALSE(f[p].contains("allele_count"));  // anonymous: frequencies only
  }
  const std::string locus = v.chrom + ":" + std::to_string(v.pos);
  EXPECT_EQ(body_of(c.Get("/v1/variant/" + locus))["variants"][0]["id"], v.id);
  EXPECT_EQ(body_of(c.Get("/v1/variant/chr" + locus + ":" + v.ref + ":" + v.alt))["variants"][0]["id"], v.id);
  auto r = c.Get("/v1/variant/" + locus + ":" + v.alt + ":" + v.ref);  // swapped alleles: not this variant
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(body_of(r)["error"], "variant not in this release");
}

TEST_F(ServeHttp, RegionPagesCoverTheRegionOnceAndTheWorkIsCapped) {
  RunningServer server(*db_, options());
  auto c = server.client();
  const auto all = db_->region("2", 1, 1'000'000'000, {}, 100000).variants;
  ASSERT_GT(all.size(), 50u);
  const std::int64_t start = all[3].pos, end = all[40].pos;
  std::vector<std::string> ids;
  std::string after;
  int pages = 0;
  for (; pages < 100; ++pages) {
    json b = body_of(c.Get("/v1/region/2:" + std::to_string(start) + "-" + std::to_string(end) + "?limit=7" +
                           (after.empty() ? "" : "&after=" + after)));
    for (const auto& v : b["variants"]) ids.push_back(v["id"]);
    if (b["next"].is_null()) break;
    after = b["next"];
  }
  EXPECT_EQ(pages, (38 + 6) / 7 - 1);
  ASSERT_EQ(ids.size(), 38u);
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], all[3 + i].id);
  auto r = c.Get("/v1/region/2:1-200000000");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(body_of(r)["error"].get<std::string>().find("at most 10000000 per query"), std::string::npos);
  EXPECT_EQ(c.Get("/v1/region/2:1-1000?limit=1001")->status, 400);
  EXPECT_EQ(c.Get("/v1/region/2:1-1000?limit=0")->status, 400);
  EXPECT_EQ(c.Get("/v1/region/2:1000-1")->status, 400);
  EXPECT_EQ(c.Get("/v1/region/2:1-1000?after=abc")->status, 400);
  EXPECT_EQ(c.Get("/v1/region/2:1-1000?limit=5&limit=6")->status, 400);
  EXPECT_EQ(c.Get("/v1/region/2:1-1000?sort=pos")->status, 400);
}

TEST_F(ServeHttp, NegativeAndMaliciousRequestsGetJsonErrorsAndTheServerSurvives) {
  RunningServer server(*db_, options());
  auto c = server.client();
  struct Case {
    std::string path;
    int status;
  };
  const std::vector<Case> cases = {
      {"/v1/variant/rs_not_there", 404},
      {"/v1/variant/1:0", 400},
      {"/v1/variant/1:99999999999", 400},
      {"/v1/variant/1:100:A", 400},
      {"/v1/variant/1:100:A:%2B", 400},
      {"/v1/variant/chrQQ%3F:1", 400},
      {"/v1/variant/rs1'%20OR%20'1'='1", 400},
      {"/v1/variant/rs1%22%3B%20DROP%20TABLE%20variant%3B--", 400},
      {"/v1/variant/rs1;DROP%20TABLE%20variant", 400},
      {"/v1/variant/rs1;DROP_TABLE_variant", 404},
      {"/v1/variant/%3Cscript%3Ealert(1)", 400},
      {"/v1/variant/%3Cscript%3Ealert(1)%3C%2Fscript%3E", 404},  // %2F decodes to a path separator
      {"/v1/variant/%FF%FE%FD", 400},
      {"/v1/variant/rs1%00", 400},
      {"/v1/variant/..%2F..%2F..%2Fetc%2Fpasswd", 404},
      {"/v1/variant/..%5C..%5Cetc%5Cpasswd", 400},
      {"/v1/variant/../../../etc/passwd", 404},
      {"/../../../../etc/passwd", 404},
      {"/v1/region/1:1-100000000000000000000", 400},
      {"/v1/region/%E2%28%A1:1-2", 400},
      {"/v1/region/1:-5-10", 400},
      {"/v1/nothing", 404},
      {"/v1/variant/" + std::string(300, 'a'), 400},
      {"/beacon/v2/g_variants?referenceName=1", 400},
      {"/beacon/v2/g_variants?referenceName=1&start=-1", 400},
      {"/beacon/v2/g_variants?referenceName=1&start=10&requestedGranularity=everything", 400},
      {"/beacon/v2/g_variants?referenceName=1&start=10&end=5", 400},
      {"/beacon/v2/g_variants?referenceName=1&start=0&end=2000000000", 400},
      {"/beacon/v2/g_variants?referenceName=1&start=1,5", 400},
      {"/beacon/v2/g_variants?referenceName=1&start=10&filters=x", 400},
  };
  for (const auto& k : cases) {
    auto r = c.Get(k.path);
    ASSERT_TRUE(r) << k.path;
    EXPECT_EQ(r->status, k.status) << k.path << " -> " << r->body;
    const json b = body_of(r);
    EXPECT_TRUE(b.contains("error")) << k.path;
    EXPECT_EQ(r->body.find("root:"), std::string::npos) << k.path;
  }
  // Oversized: a 1 MB body, a 20 kB URI, a 20 kB header.
  auto r = c.Post("/beacon/v2/g_variants", std::string(1 << 20, '{'), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  r = c.Get("/v1/variant/" + std::string(20000, 'a'));
  EXPECT_TRUE(!r || r->status == 414 || r->status == 400);
  r = c.Get("/healthz", {{"X-Big", std::string(20000, 'b')}});
  EXPECT_TRUE(!r || r->status >= 400);
  // Bad JSON, bad UTF-8 and wrong types in Beacon POST bodies.
  for (const std::string& body :
       {std::string("not json"), std::string("[1,2]"), std::string("{\"query\": 5}"),
        std::string("{\"query\":{\"requestParameters\":{\"referenceName\":\"1\",\"start\":\"\xff\xfe\"}}}"),
        std::string("{\"query\":{\"requestParameters\":{\"referenceName\":[1],\"start\":5}}}"),
        std::string("{\"query\":{\"requestParameters\":{\"referenceName\":\"1\",\"start\":[1,2,3]}}}"),
        std::string("{\"query\":{\"requestParameters\":{\"referenceName\":\"1\",\"start\":1e300}}}"),
        std::string("{\"query\":{\"requestParameters\":{\"$where\":\"1\"}}}"), std::string(10000, '[')}) {
    r = c.Post("/beacon/v2/g_variants", body, "application/json");
    ASSERT_TRUE(r) << body.substr(0, 60);
    EXPECT_EQ(r->status, 400) << body.substr(0, 60) << " -> " << r->body;
  }
  // A raw request line that is not HTTP at all.
  httplib::Client raw("127.0.0.1", server.port());
  EXPECT_EQ(body_of(c.Get("/healthz"))["status"], "ok");
  EXPECT_EQ(db_->find_by_id(db_->region("1", 1, 1'000'000'000, {}, 1).variants[0].id, 1).size(), 1u);
}

TEST_F(ServeHttp, BeaconBooleanCountAndRecordWithFrequencyInPopulations) {
  RunningServer server(*db_, options());
  auto c = server.client();
  const auto v = db_->region("3", 1, 1'000'000'000, {}, 1).variants.at(0);
  const std::string q = "/beacon/v2/g_variants?referenceName=" + v.chrom +
                        "&start=" + std::to_string(v.pos - 1) + "&referenceBases=" + v.ref +
                        "&alternateBases=" + v.alt;
  json b = body_of(c.Get(q));
  EXPECT_EQ(b["meta"]["returnedGranularity"], "boolean");
  EXPECT_EQ(b["responseSummary"]["exists"], true);
  EXPECT_FALSE(b["responseSummary"].contains("numTotalResults"));
  EXPECT_FALSE(b.contains("response"));
  b = body_of(c.Get(q + "&requestedGranularity=count"));
  EXPECT_EQ(b["responseSummary"]["numTotalResults"], 1);
  b = body_of(c.Get(q + "&requestedGranularity=record"));
  const json& rec = b["response"]["resultSets"][0]["results"][0];
  EXPECT_EQ(rec["variation"]["location"]["interval"]["start"]["value"], v.pos - 1);
  const json& freqs = rec["frequencyInPopulations"][0]["frequencies"];
  ASSERT_EQ(freqs.size(), 3u);
  EXPECT_EQ(freqs[0]["population"], "CEU");
  EXPECT_FALSE(freqs[0].contains("alleleCount"));
  // Wrong allele: no hit. 1-based start by mistake: no hit.
  EXPECT_EQ(
      body_of(c.Get("/beacon/v2/g_variants?referenceName=" + v.chrom + "&start=" + std::to_string(v.pos) +
                    "&referenceBases=" + v.ref + "&alternateBases=" + v.alt))["responseSummary"]["exists"],
      false);
  // A range query as POST: count of the variants in the range equals the release's.
  const auto in_range = db_->region("3", 1, 5'000'000, {}, 100000).variants.size();
  json post = {{"meta", {{"apiVersion", "2.0"}}},
               {"query",
                {{"requestParameters",
                  {{"referenceName", "3"}, {"start", json::array({0})}, {"end", json::array({5000000})}}},
                 {"requestedGranularity", "count"}}}};
  b = body_of(c.Post("/beacon/v2/g_variants", post.dump(), "application/json"));
  EXPECT_EQ(b["responseSummary"]["numTotalResults"], in_range);
  b = body_of(c.Get("/beacon/v2/info"));
  EXPECT_EQ(b["response"]["apiVersion"], "v2.0.1");
  b = body_of(c.Get("/beacon/v2/map"));
  EXPECT_EQ(b["response"]["endpointSets"]["genomicVariant"]["rootUrl"],
            "http://127.0.0.1:" + std::to_string(server.port()) + "/beacon/v2/g_variants");
}

TEST_F(ServeHttp, ControlledTierTokensBudgetAndLog) {
  serve::ServerOptions o = options();
  o.tokens_file = dir_ + "/tokens";
  o.token_budget = 3;
  o.query_log = dir_ + "/queries.log";
  std::remove(o.query_log.c_str());
  RunningServer server(*db_, o);
  auto c = server.client();
  const auto v = db_->region("4", 1, 1'000'000'000, {}, 1).variants.at(0);
  const httplib::Headers auth = {{"Authorization", "Bearer " + kToken}};
  json b = body_of(c.Get("/v1/variant/" + v.id, auth));
  EXPECT_EQ(b["tier"], "controlled");
  EXPECT_EQ(b["variants"][0]["frequencies"][0]["allele_count"], v.counts[0].alt_count);
  EXPECT_EQ(b["variants"][0]["frequencies"][0]["allele_number"], v.counts[0].allele_number);
  EXPECT_EQ(c.Get("/v1/variant/" + v.id, {{"Authorization", "Bearer wrong-token-0000000000"}})->status, 401);
  EXPECT_EQ(c.Get("/v1/variant/" + v.id, {{"Authorization", "Basic abc"}})->status, 401);
  EXPECT_EQ(c.Get("/v1/variant/" + v.id, {{"Authorization", "Bearer " + serve::sha256_hex(kToken)}})->status,
            401);
  EXPECT_EQ(c.Get("/v1/region/4:1-100000?limit=2", auth)->status, 200);
  EXPECT_EQ(
      c.Get("/beacon/v2/g_variants?referenceName=4&start=0&end=100000&requestedGranularity=record", auth)
          ->status,
      200);
  auto r = c.Get("/v1/variant/" + v.id, auth);  // the fourth: over the budget of 3
  EXPECT_EQ(r->status, 429);
  EXPECT_NE(body_of(r)["error"].get<std::string>().find("query budget"), std::string::npos);
  EXPECT_EQ(c.Get("/v1/variant/" + v.id)->status, 200);  // anonymous still served
  std::istringstream log(read_text(o.query_log));
  std::string line;
  std::vector<json> entries;
  while (std::getline(log, line)) entries.push_back(json::parse(line));
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0]["query"]["token"], "alice");
  EXPECT_EQ(entries[0]["query"]["target"], "/v1/variant/" + v.id);
  EXPECT_EQ(read_text(o.query_log).find(kToken), std::string::npos);  // the token itself is never written
  // Without --tokens a bearer token is refused, not silently downgraded.
  RunningServer open_server(*db_, options());
  EXPECT_EQ(open_server.client().Get("/v1/variant/" + v.id, auth)->status, 401);
}

TEST_F(ServeHttp, ControlledQueriesGoToTheRegistryAuditLog) {
  const std::string reg = dir_ + "/audit.db";
  std::remove(reg.c_str());
  ASSERT_EQ(run_genomap("registry init --db " + reg + " --out " + dir_ + "/init").exit_code, 0);
  serve::ServerOptions o = options();
  o.tokens_file = dir_ + "/tokens";
  o.registry = reg;
  const auto before = query_count(reg, "SELECT count(*) FROM audit_log");
  {
    RunningServer server(*db_, o);
    auto c = server.client();
    EXPECT_EQ(c.Get("/v1/region/5:1-100000", {{"Authorization", "Bearer " + kToken}})->status, 200);
    EXPECT_EQ(c.Get("/v1/region/5:1-100000")->status, 200);  // anonymous: not logged
  }
  EXPECT_EQ(query_count(reg, "SELECT count(*) FROM audit_log"), before + 1);
  EXPECT_EQ(query_text(reg, "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1"), "frequency_query");
  EXPECT_NE(
      query_text(reg, "SELECT details FROM audit_log ORDER BY seq DESC LIMIT 1").find("\"token\":\"alice\""),
      std::string::npos);
  EXPECT_EQ(run_genomap("registry audit verify --db " + reg + " --out " + dir_ + "/verify").exit_code, 0);
}

TEST_F(ServeHttp, AnonymousQueryBudgetPerAddress) {
  serve::ServerOptions o = options();
  o.anonymous_budget = 3;
  RunningServer server(*db_, o);
  auto c = server.client();
  EXPECT_EQ(c.Get("/v1/region/1:1-1000000")->status, 200);
  EXPECT_EQ(c.Get("/v1/variant/rs_absent")->status, 404);
  EXPECT_EQ(c.Get("/beacon/v2/g_variants?referenceName=1&start=5")->status, 200);
  auto r = c.Get("/v1/region/1:1-1000000");
  EXPECT_EQ(r->status, 429);
  EXPECT_NE(body_of(r)["error"].get<std::string>().find("anonymous query budget"), std::string::npos);
  EXPECT_EQ(c.Get("/v1/populations")->status, 200);  // not a data query
}

TEST_F(ServeHttp, RateLimitPerClient) {
  serve::ServerOptions o = options();
  o.rate_per_client = 5;
  o.rate_burst = 10;
  RunningServer server(*db_, o);
  auto c = server.client();
  int ok = 0, limited = 0;
  for (int i = 0; i < 40; ++i) {
    auto r = c.Get("/healthz");
    ASSERT_TRUE(r);
    if (r->status == 200) ++ok;
    if (r->status == 429) ++limited;
  }
  EXPECT_GE(ok, 10);
  EXPECT_LE(ok, 15);  // the burst plus what refills during the loop
  EXPECT_EQ(ok + limited, 40);
}

TEST_F(ServeHttp, NothingServedRevealsACountBelowTwenty) {
  serve::ServerOptions o = options();
  o.tokens_file = dir_ + "/tokens";
  o.token_budget = 10000;
  o.query_log = dir_ + "/privacy.log";
  RunningServer server(*db_, o);
  auto c = server.client();
  const httplib::Headers auth = {{"Authorization", "Bearer " + kToken}};
  std::size_t checked = 0;
  for (const char* chrom : {"1", "7", "22"}) {
    for (std::int64_t window = 0; window < 25; ++window) {  // 10 Mb windows over 250 Mb
      const std::string region = std::string(chrom) + ":" + std::to_string(window * 10'000'000 + 1) + "-" +
                                 std::to_string((window + 1) * 10'000'000);
      std::string after;
      for (int page = 0; page < 50; ++page) {
        json b = body_of(
            c.Get("/v1/region/" + region + "?limit=1000" + (after.empty() ? "" : "&after=" + after), auth));
        for (const auto& v : b["variants"]) {
          std::vector<std::int64_t> ac;
          for (const auto& f : v["frequencies"]) {
            const std::int64_t a = f["allele_count"], n = f["allele_number"], h = f["hom_alt_count"];
            for (std::int64_t value : {a, n, h, n - a, a - 2 * h}) ASSERT_FALSE(value % 20) << v.dump();
            ac.push_back(a);
            ++checked;
          }
          for (std::size_t i = 0; i < ac.size(); ++i)
            for (std::size_t j = 0; j < i; ++j) {
              const std::int64_t d = ac[i] > ac[j] ? ac[i] - ac[j] : ac[j] - ac[i];
              ASSERT_FALSE(d >= 1 && d <= 19) << v.dump();
            }
        }
        if (b["next"].is_null()) break;
        after = b["next"];
      }
    }
  }
  EXPECT_GT(checked, 1000u);
}

// The real binary: prints its port, serves, and exits 0 on SIGTERM.
TEST_F(ServeHttp, BinaryStopsGracefullyOnSigterm) {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    const std::string db = db_->path(), log = dir_ + "/sigterm";
    execl(GENOMAP_BINARY, GENOMAP_BINARY, "serve", "--freqdb", db.c_str(), "--port", "0", "--bind",
          "127.0.0.1", "--out", log.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string first_line;
  char ch = 0;
  while (first_line.size() < 500 && read(out[0], &ch, 1) == 1 && ch != '\n') first_line.push_back(ch);
  close(out[0]);
  const auto at = first_line.rfind(':');
  ASSERT_NE(at, std::string::npos) << first_line;
  const int port = std::stoi(first_line.substr(at + 1));
  httplib::Client c("127.0.0.1", port);
  auto r = c.Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = -1;
  for (int i = 0; i < 100 && waitpid(pid, &status, WNOHANG) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  if (!WIFEXITED(status)) kill(pid, SIGKILL), waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_NE(read_text(dir_ + "/sigterm.log").find("stopped by signal"), std::string::npos);
  EXPECT_FALSE(c.Get("/healthz"));  // nothing listens any more
}

}  // namespace
}  // namespace genomap::test
