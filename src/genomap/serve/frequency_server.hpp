// The HTTP front of the frequency service (cpp-httplib): routes, tiers, limits and logging around
// FrequencyApi. Every answer is JSON (errors too, as {"error": ...}), except the web page at "/".
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "genomap/freqdb/frequency_database.hpp"
#include "genomap/serve/frequency_api.hpp"

namespace genomap::serve {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0: any free port (see FrequencyServer::port)
  int http_threads = 64;
  std::size_t max_body_bytes = 16 * 1024;
  double rate_per_client = 200;  // requests per second per client address; 0: no limit
  double rate_burst = 400;
  std::string tokens_file;  // controlled tier off when empty
  std::uint64_t token_budget = 1000;
  std::chrono::seconds token_window{86400};
  // Anonymous data queries (variant, region, Beacon) per client address per window; 0: no budget. The
  // membership attack needs thousands of queries (docs/open-data.md), so a budget is part of the defence.
  std::uint64_t anonymous_budget = 1000;
  std::chrono::seconds anonymous_window{86400};
  std::string registry;   // controlled queries logged to its audit log ...
  std::string query_log;  // ... or to this file
  ApiLimits api;
  std::string page_html;  // served at "/" instead of the bundled page when not empty
};

class FrequencyServer {
 public:
  // Opens nothing but what it is given; throws Error on a bad tokens file, log or address.
  FrequencyServer(const freqdb::FrequencyDatabase& db, ServerOptions options);
  ~FrequencyServer();
  FrequencyServer(const FrequencyServer&) = delete;
  FrequencyServer& operator=(const FrequencyServer&) = delete;

  // Binds the listening socket; returns the port (the chosen one when the option was 0).
  int bind();
  // Serves until stop() is called (from another thread); in-flight requests are completed.
  void serve();
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace genomap::serve
