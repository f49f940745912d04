#!/usr/bin/env bash
# Benchmark of `genomap serve`: point queries per second and latency percentiles measured by wrk on loopback
# against a release built from simulated data, and the release's size per variant per population.
#
#   bench/serve.sh [SAMPLES] [VARIANTS] [DURATION_S]     (default 2000 x 200000, 15 s per run)
#
# The issue's size is 10,000 samples x 1,000,000 variants (bench/serve.sh 10000 1000000); on a shared 2-core
# machine the default is smaller (the size per variant per population does not depend on it).
# Environment: SERVER_CPUS / CLIENT_CPUS (taskset lists, e.g. 0,1 and 2-5) pin the server and wrk to separate
# cores; GENOMAP, WRK, SQLITE3 name the programs (default build/genomap, wrk, sqlite3); BUILD_THREADS the
# threads of simulate and freqdb build (default all). The server gets 64 HTTP threads, no rate limit and no
# anonymous budget (both are per-client defences that would throttle a benchmark client).
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-2000}
variants=${2:-200000}
duration=${3:-15}
genomap=${GENOMAP:-build/genomap}
wrk=${WRK:-wrk}
sqlite=${SQLITE3:-sqlite3}
threads=${BUILD_THREADS:-0}
pin_server=(); [ -n "${SERVER_CPUS:-}" ] && pin_server=(taskset -c "$SERVER_CPUS")
pin_client=(); [ -n "${CLIENT_CPUS:-}" ] && pin_client=(taskset -c "$CLIENT_CPUS")
if [ -z "${WRK:-}" ] && ! command -v wrk >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get install -y -qq wrk >/dev/null
fi
[ -n "${GENOMAP:-}" ] || [ -x build/genomap ] || scripts/build.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/genomap-bench-serve.XXXXXX")
# simulate streams the .bed to disk (2 bits per genotype); the release adds ~28 bytes per variant per population.
need=$(( samples * variants / 4 + variants * 4 * 40 + (1 << 26) ))
free=$(( $(df -Pk "$work" | awk 'NR == 2 { print $4 }') * 1024 ))
if [ "$free" -lt "$need" ]; then
  echo "not enough disk in $work: $need bytes needed, $free free" >&2
  rm -rf "$work"
  exit 1
fi
echo "== load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
server=""
cleanup() { [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
timed() { local t0; t0=$(date +%s.%N); "$@"; awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "   %.1f s\n", b - a }'; }

echo "== simulate $samples samples x $variants variants, 4 populations"
timed $genomap simulate --n "$samples" --m "$variants" --k 4 --fst 0.1 --alpha 0.1 --seed 3 --threads "$threads" \
  --quiet --out "$work/sim"
echo "== freqdb build"
timed $genomap freqdb build --bfile "$work/sim" --pop "$work/sim.pop" --min-pop-size 50 --threads "$threads" --quiet \
  --out "$work/sim.freqdb"
bytes=$(stat -c %s "$work/sim.freqdb")
rows=$($sqlite "$work/sim.freqdb" "SELECT value FROM release WHERE key='variant_ct'")
pops=$($sqlite "$work/sim.freqdb" "SELECT count(*) FROM population")
awk -v b="$bytes" -v r="$rows" -v p="$pops" 'BEGIN { printf "   release: %d bytes, %d variants x %d populations = %.1f bytes per variant per population\n", b, r, p, b / (r * p) }'

# 100,000 random variant IDs and positions of the release for the query scripts.
$sqlite "$work/sim.freqdb" "SELECT id FROM variant ORDER BY random() LIMIT 100000" >"$work/ids.txt"
$sqlite "$work/sim.freqdb" "SELECT chrom || ':' || pos FROM variant ORDER BY random() LIMIT 100000" >"$work/loci.txt"
for kind in ids loci; do
  cat >"$work/$kind.lua" <<LUA
local keys = {}
for line in io.lines("$work/$kind.txt") do keys[#keys + 1] = line end
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
request = function() return wrk.format("GET", "/v1/variant/" .. keys[math.random(#keys)]) end
LUA
done

port=$((20000 + RANDOM % 20000))
"${pin_server[@]}" $genomap serve --freqdb "$work/sim.freqdb" --port "$port" --bind 127.0.0.1 --rate-limit 0 \
  --anonymous-budget 0 --http-threads 64 --quiet --out "$work/serve" >"$work/serve.out" &
server=$!
up=0
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then up=1; break; fi
  sleep 0.1
done
[ "$up" = 1 ] || { echo "server did not start"; cat "$work/serve.out"; exit 1; }
"${pin_client[@]}" $wrk -t1 -c8 -d2s -s "$work/ids.lua" "http://127.0.0.1:$port" >/dev/null  # warm the page cache

for kind in ids loci; do
  for connections in 16 64; do
    echo "== point queries by ${kind%s}: wrk -t2 -c$connections -d${duration}s"
    "${pin_client[@]}" $wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$work/$kind.lua" "http://127.0.0.1:$port" |
      awk '/Requests\/sec/ { print "   requests/s " $2 } / 50%/ { print "   p50 " $2 } / 99%/ { print "   p99 " $2 }
           /Non-2xx/ { print "   non-2xx responses: " $4 } /Socket errors/ { print "   " $0 }'
  done
done
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
