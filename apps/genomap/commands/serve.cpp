// genomap serve: the allele-frequency service over a frozen release (HTTP/JSON, Beacon v2, a web page).
// SIGTERM or SIGINT stops it gracefully: no new connections, in-flight requests completed.
#include <fmt/format.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/freqdb/frequency_database.hpp"
#include "genomap/serve/frequency_server.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct ServeCommandOptions {
  std::string freqdb;
  serve::ServerOptions server;
  std::int64_t token_window_s = 86400;
  std::int64_t anonymous_window_s = 86400;
  bool verify = false;
};

volatile std::sig_atomic_t stop_requested = 0;
extern "C" void request_stop(int) { stop_requested = 1; }

// Stops the server on SIGTERM or SIGINT. The handler only sets a flag (all a handler may safely do; the
// signal may land on any thread, OpenBLAS's included); a watcher thread polls it and calls stop().
class SignalWatcher {
 public:
  explicit SignalWatcher(serve::FrequencyServer& server) {
    struct sigaction action {};
    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    thread_ = std::thread([this, &server] {
      while (!done_) {
        if (stop_requested) {
          received_ = true;
          server.stop();
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  ~SignalWatcher() {
    done_ = true;
    thread_.join();
  }
  bool received() const { return received_; }

 private:
  std::atomic<bool> done_{false}, received_{false};
  std::thread thread_;
};

void run_serve(ServeCommandOptions& o, Invocation& inv) {
  if (o.token_window_s < 1) throw UsageError("--token-window must be at least 1 second");
  if (o.anonymous_window_s < 1) throw UsageError("--anonymous-window must be at least 1 second");
  o.server.anonymous_window = std::chrono::seconds(o.anonymous_window_s);
  if (o.server.rate_per_client < 0) throw UsageError("--rate-limit must not be negative");
  o.server.token_window = std::chrono::seconds(o.token_window_s);
  o.server.rate_burst = std::max(1.0, 2 * o.server.rate_per_client);
  freqdb::FrequencyDatabase db(o.freqdb);
  inv.log().add_input(o.freqdb);
  if (o.verify && db.recompute_content_hash() != db.info().content_hash)
    throw Error(o.freqdb, 0, "content hash does not match the release's rows (the file was altered)");
  serve::FrequencyServer server(db, o.server);
  SignalWatcher watcher(server);
  const int port = server.bind();
  std::printf("genomap serve: release %s (%llu variants, %zu populations) on http://%s:%d/\n",
              db.info().version.c_str(), static_cast<unsigned long long>(db.info().variant_ct),
              db.populations().size(), o.server.bind.c_str(), port);
  std::fflush(stdout);
  inv.log().note(fmt::format("listening on {}:{}", o.server.bind, port));
  server.serve();
  inv.log().note(watcher.received() ? "stopped by signal" : "stopped");
}

const bool registered = register_command(
    {"serve", "Allele-frequency service (HTTP/JSON, Beacon v2) over a release",
     [](CLI::App& app) {
       auto o = std::make_shared<ServeCommandOptions>();
       auto& s = o->server;
       app.add_option("--freqdb", o->freqdb, "Frequency release from `genomap freqdb build`")->required();
       app.add_option("--port", s.port, "TCP port (0: any free port, printed on start)")
           ->check(CLI::Range(0, 65535));
       app.add_option("--bind", s.bind, "Address to listen on");
       app.add_option("--tokens", s.tokens_file,
                      "Controlled-tier tokens: lines NAME SHA256HEX (hash of the token)");
       app.add_option("--token-budget", s.token_budget, "Controlled queries per token per window");
       app.add_option("--token-window", o->token_window_s, "Budget window in seconds");
       app.add_option("--anonymous-budget", s.anonymous_budget,
                      "Anonymous data queries per client address per window (0: no budget)");
       app.add_option("--anonymous-window", o->anonymous_window_s, "Anonymous budget window in seconds");
       app.add_option("--registry", s.registry, "Registry whose audit log records controlled queries");
       app.add_option("--query-log", s.query_log, "File recording controlled queries (without --registry)");
       app.add_option("--rate-limit", s.rate_per_client,
                      "Requests per second per client address (0: no limit)");
       app.add_option("--http-threads", s.http_threads, "Connections served at once")
           ->check(CLI::Range(1, 1024));
       app.add_option("--max-region", s.api.max_region_span, "Largest region per query, bp")
           ->check(CLI::Range(1, 1'000'000'000));
       app.add_option("--max-page", s.api.max_page, "Most variants per page")->check(CLI::Range(1, 100'000));
       app.add_option("--frequency-decimals", s.api.frequency_decimals, "Decimals of anonymous frequencies")
           ->check(CLI::Range(1, 6));
       app.add_option("--beacon-id", s.api.beacon_id, "Beacon ID (reverse domain name)");
       app.add_flag("--verify", o->verify, "Recompute the content hash before serving");
       return Runner([o](Invocation& inv) { run_serve(*o, inv); });
     },
     96});

}  // namespace
}  // namespace genomap::cli
