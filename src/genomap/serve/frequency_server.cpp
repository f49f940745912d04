#include "genomap/serve/frequency_server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include "genomap/core/error.hpp"
#include "genomap/serve/access_control.hpp"
#include "genomap/serve/request_parsing.hpp"
#include "genomap/serve/service_page.hpp"

namespace genomap::serve {

using nlohmann::json;

struct FrequencyServer::State {
  const freqdb::FrequencyDatabase& db;
  ServerOptions options;
  FrequencyApi api;
  httplib::Server http;
  RateLimiter limiter;
  std::optional<TokenTable> tokens;
  std::unique_ptr<QueryBudget> budget;
  QueryBudget anonymous_budget;
  std::unique_ptr<QueryLog> log;

  State(const freqdb::FrequencyDatabase& database, ServerOptions opts)
      : db(database),
        options(std::move(opts)),
        api(db, options.api),
        limiter(options.rate_per_client, options.rate_burst),
        anonymous_budget(options.anonymous_budget, options.anonymous_window) {}
};

namespace {

std::string dump(const json& body) { return body.dump(-1, ' ', false, json::error_handler_t::replace); }

void send(httplib::Response& res, const Reply& reply) {
  res.status = reply.status;
  res.set_content(dump(reply.body), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send(res, {status, {{"error", message}, {"status", status}}});
}

QueryParameters parameters_of(const httplib::Request& req) {
  QueryParameters params;
  for (const auto& [key, value] : req.params) params.emplace(key, value);
  return params;
}

}  // namespace

FrequencyServer::FrequencyServer(const freqdb::FrequencyDatabase& db, ServerOptions options)
    : state_(std::make_unique<State>(db, std::move(options))) {
  State& s = *state_;
  const ServerOptions& o = s.options;
  if (o.http_threads < 1 || o.http_threads > 1024) throw Error("HTTP threads must be between 1 and 1024");
  if (!o.tokens_file.empty()) {
    s.tokens = TokenTable::read(o.tokens_file);
    s.budget = std::make_unique<QueryBudget>(o.token_budget, o.token_window);
    if (!o.registry.empty())
      s.log = QueryLog::to_registry(o.registry);
    else if (!o.query_log.empty())
      s.log = QueryLog::to_file(o.query_log);
    else
      throw Error("the controlled tier needs a log of its queries (a registry or a query log file)");
  }

  auto& http = s.http;
  const int threads = o.http_threads;
  // cpp-httplib takes ownership of the queue it is handed (its API asks for a raw pointer).
  http.new_task_queue = [threads] { return std::make_unique<httplib::ThreadPool>(threads).release(); };
  http.set_payload_max_length(o.max_body_bytes);
  http.set_read_timeout(5);
  http.set_write_timeout(5);
  http.set_keep_alive_timeout(5);
  http.set_keep_alive_max_count(10000);
  http.set_tcp_nodelay(true);
  http.set_default_headers({{"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "no-store"}});

  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!state_->limiter.allow(req.remote_addr)) {
      res.set_header("Retry-After", "1");
      send_error(res, 429, "too many requests from this address; slow down");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const int status = res.status;
    const std::string message = status == 404   ? "no such resource"
                                : status == 413 ? "request too large"
                                : status == 405 ? "method not allowed"
                                                : "bad request";
    send_error(res, status, message);
  });
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
    try {
      std::rethrow_exception(error);
    } catch (const BadRequest& e) {
      send_error(res, 400, e.what());
    } catch (const std::exception&) {
      send_error(res, 500, "internal error");
    }
  });

  // The tier of a data query; a controlled query is checked against its budget and logged before it runs.
  auto tier_of = [this](const httplib::Request& req, httplib::Response& res) -> std::optional<Tier> {
    State& st = *state_;
    if (!req.has_header("Authorization")) {
      if (st.options.anonymous_budget > 0 && !st.anonymous_budget.spend(req.remote_addr)) {
        send_error(res, 429,
                   fmt::format("anonymous query budget of this address spent ({} per {} s); ask for a "
                               "token for more",
                               st.options.anonymous_budget, st.options.anonymous_window.count()));
        return std::nullopt;
      }
      return Tier::Anonymous;
    }
    const std::string header = req.get_header_value("Authorization");
    if (!st.tokens) {
      send_error(res, 401, "this server has no controlled tier");
      return std::nullopt;
    }
    const std::string prefix = "Bearer ";
    const auto holder = header.rfind(prefix, 0) == 0 && header.size() <= 512
                            ? st.tokens->holder(header.substr(prefix.size()))
                            : std::nullopt;
    if (!holder) {
      send_error(res, 401, "unknown token");
      return std::nullopt;
    }
    if (!st.budget->spend(*holder)) {
      send_error(res, 429,
                 fmt::format("query budget of this token spent ({} per {} s)", st.budget->budget(),
                             st.options.token_window.count()));
      return std::nullopt;
    }
    st.log->record(*holder, req.remote_addr, req.method, req.target);
    return Tier::Controlled;
  };

  http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
    const std::string& page = state_->options.page_html;
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                   "connect-src 'self'; img-src data: blob:");
    res.set_content(page.empty() ? service_page() : page, "text/html; charset=utf-8");
  });
  http.Get("/healthz",
           [this](const httplib::Request&, httplib::Response& res) { send(res, state_->api.health()); });
  http.Get("/v1/release",
           [this](const httplib::Request&, httplib::Response& res) { send(res, state_->api.release()); });
  http.Get("/v1/populations",
           [this](const httplib::Request&, httplib::Response& res) { send(res, state_->api.populations()); });
  http.Get(R"(/v1/variant/([^/]+))", [this, tier_of](const httplib::Request& req, httplib::Response& res) {
    const QueryParameters params = parameters_of(req);
    require_known_parameters(params, {});
    if (auto tier = tier_of(req, res)) send(res, state_->api.variant(req.matches[1].str(), params, *tier));
  });
  http.Get(R"(/v1/region/([^/]+))", [this, tier_of](const httplib::Request& req, httplib::Response& res) {
    const QueryParameters params = parameters_of(req);
    require_known_parameters(params, {"limit", "after"});
    if (auto tier = tier_of(req, res)) send(res, state_->api.region(req.matches[1].str(), params, *tier));
  });
  http.Get("/beacon/v2/g_variants", [this, tier_of](const httplib::Request& req, httplib::Response& res) {
    const json request = state_->api.beacon_request_from_query(parameters_of(req));
    if (auto tier = tier_of(req, res)) send(res, state_->api.beacon_variants(request, *tier));
  });
  http.Post("/beacon/v2/g_variants", [this, tier_of](const httplib::Request& req, httplib::Response& res) {
    const json request = state_->api.beacon_request_from_body(req.body);
    if (auto tier = tier_of(req, res)) send(res, state_->api.beacon_variants(request, *tier));
  });
  for (const char* path : {"/beacon/v2", "/beacon/v2/", "/beacon/v2/info"})
    http.Get(path, [this](const httplib::Request&, httplib::Response& res) {
      send(res, state_->api.beacon_info());
    });
  http.Get("/beacon/v2/map", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string host = req.get_header_value("Host");
    const bool plain_host =
        !host.empty() && host.size() < 256 &&
        host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
            std::string::npos;
    send(res, state_->api.beacon_map(plain_host ? "http://" + host : ""));
  });
}

FrequencyServer::~FrequencyServer() { stop(); }

int FrequencyServer::bind() {
  State& s = *state_;
  if (s.options.port < 0 || s.options.port > 65535)
    throw Error(fmt::format("port {} out of range", s.options.port));
  if (s.options.port == 0) {
    const int port = s.http.bind_to_any_port(s.options.bind);
    if (port <= 0) throw Error(fmt::format("cannot listen on {} (any port)", s.options.bind));
    return port;
  }
  if (!s.http.bind_to_port(s.options.bind, s.options.port))
    throw Error(fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)",
                            s.options.bind, s.options.port));
  return s.options.port;
}

void FrequencyServer::serve() { state_->http.listen_after_bind(); }

void FrequencyServer::stop() {
  if (state_) state_->http.stop();
}

}  // namespace genomap::serve
