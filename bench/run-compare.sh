#!/usr/bin/env bash
# Runs the same load against Temporal's in-memory test server (the baseline) and, if one is up,
# against a Tempora server, then prints both RESULT lines.
#
# Usage: bench/run-compare.sh [N] [C]        (defaults N=2000 workflows, C=50 concurrent starters)
# Environment overrides:
#   WARMUP=100                     workflows run (unmeasured) before each measurement
#   TIMEOUT_SECONDS=600            bound on each load-generator run
#   TEST_SERVER_PORT=7234          port for the test server (bound to 127.0.0.1 only)
#   TEMPORA_TARGET=127.0.0.1:7233  where Tempora is expected; skipped if nothing listens there
#   JAVA_HOME                      a JDK >= 21; else /usr/lib/jvm/temurin-25-jdk-amd64 is tried
#   JAVA_OPTS                      extra JVM flags for both JVMs
#   BENCH_ARGS                     extra LoadGenerator flags, e.g. "--workflow-pollers 16"
#
# Needs the bench built first (from the repository root):
#   mvn -o -B -pl bench package
set -u -o pipefail

N=${1:-2000}
C=${2:-50}
WARMUP=${WARMUP:-100}
TIMEOUT_SECONDS=${TIMEOUT_SECONDS:-600}
TEST_SERVER_PORT=${TEST_SERVER_PORT:-7234}
TEMPORA_TARGET=${TEMPORA_TARGET:-127.0.0.1:7233}
BENCH_ARGS=${BENCH_ARGS:-}

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAR="$BENCH_DIR/target/tempora-bench.jar"
LIB="$BENCH_DIR/target/lib"
CP="$JAR:$LIB/*"
LOG_DIR="$BENCH_DIR/target/bench-logs/$(date +%Y%m%d-%H%M%S)"

die() { echo "run-compare: $*" >&2; exit 1; }

# Prints the Java feature version ("21", "25"; "1.8" style becomes 8) of the given java binary.
java_major() {
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  case "$v" in 1.*) echo "${v#1.}" ;; "") echo 0 ;; *) echo "${v%%.*}" ;; esac
}

find_java() {
  local candidate
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java; do
    if [[ -n "$candidate" && -x "$candidate" ]] && (( $(java_major "$candidate") >= 21 )); then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# True if something accepts TCP connections on host:port (a cheap "is a server up" check; the load
# generator finds out soon enough whether it actually speaks Temporal's API).
port_open() {
  local host=${1%:*} port=${1##*:}
  timeout 2 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
}

JAVA=$(find_java) || die "need a JDK >= 21: set JAVA_HOME or install /usr/lib/jvm/temurin-25-jdk-amd64"
[[ -f "$JAR" && -d "$LIB" ]] || die "bench not built: run 'mvn -o -B -pl bench package' in the repository root"

# JDK 24+ warns loudly about gRPC/Netty's Unsafe and native access; those flags do not exist before 24.
JVM_FLAGS=()
if (( $(java_major "$JAVA") >= 24 )); then
  JVM_FLAGS+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
fi
# shellcheck disable=SC2206  # JAVA_OPTS is deliberately word-split
JVM_FLAGS+=(${JAVA_OPTS:-})

mkdir -p "$LOG_DIR"
echo "run-compare: java=$JAVA N=$N C=$C warmup=$WARMUP logs=$LOG_DIR"

TS_PID=""
stop_test_server() {
  if [[ -n "$TS_PID" ]]; then
    kill "$TS_PID" 2>/dev/null
    wait "$TS_PID" 2>/dev/null
    TS_PID=""
  fi
}
trap stop_test_server EXIT
trap 'exit 130' INT TERM

# Runs the load generator against $1; stdout is shown live and saved to $2, stderr to $2.err.
# The caller greps the RESULT line from $2.
run_bench() {
  local target=$1 log=$2
  # shellcheck disable=SC2086  # BENCH_ARGS is deliberately word-split
  "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" io.tempora.bench.LoadGenerator \
    --target "$target" -n "$N" -c "$C" --warmup "$WARMUP" --timeout-seconds "$TIMEOUT_SECONDS" $BENCH_ARGS \
    2> >(tee "$log.err" >&2) | tee "$log"
}

result_of() { grep '^RESULT ' "$1" 2>/dev/null | tail -n 1; }

# --- 1. baseline: Temporal's in-memory test server -------------------------------------------------
TS_TARGET="127.0.0.1:$TEST_SERVER_PORT"
port_open "$TS_TARGET" && die "$TS_TARGET is already in use; set TEST_SERVER_PORT to a free port"
echo "run-compare: starting temporal test server on $TS_TARGET"
"$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" io.tempora.bench.TestServerLauncher --port "$TEST_SERVER_PORT" \
  > "$LOG_DIR/test-server.log" 2>&1 &
TS_PID=$!
for _ in $(seq 1 120); do
  grep -q '^test server ready on ' "$LOG_DIR/test-server.log" && break
  kill -0 "$TS_PID" 2>/dev/null || { cat "$LOG_DIR/test-server.log" >&2; die "test server exited during startup"; }
  sleep 0.5
done
grep -q '^test server ready on ' "$LOG_DIR/test-server.log" || die "test server not ready after 60 s"
cat "$LOG_DIR/test-server.log"

run_bench "$TS_TARGET" "$LOG_DIR/bench-test-server.out"
stop_test_server   # free the CPU before measuring Tempora
TS_RESULT=$(result_of "$LOG_DIR/bench-test-server.out")

# --- 2. Tempora, if one is running -----------------------------------------------------------------
TEMPORA_RESULT=""
TEMPORA_RAN=no
if port_open "$TEMPORA_TARGET"; then
  TEMPORA_RAN=yes
  echo "run-compare: running against Tempora on $TEMPORA_TARGET"
  run_bench "$TEMPORA_TARGET" "$LOG_DIR/bench-tempora.out"
  TEMPORA_RESULT=$(result_of "$LOG_DIR/bench-tempora.out")
else
  echo "run-compare: nothing answers on $TEMPORA_TARGET; skipping Tempora (start it and re-run)"
fi

# --- summary: the RESULT lines come last -----------------------------------------------------------
echo
echo "== comparison: N=$N C=$C warmup=$WARMUP (logs in $LOG_DIR) =="
echo "# temporal-test-server 1.38.0 on $TS_TARGET"
echo "${TS_RESULT:-# no RESULT line (see $LOG_DIR/bench-test-server.out.err)}"
if [[ $TEMPORA_RAN == yes ]]; then
  echo "# tempora on $TEMPORA_TARGET"
  echo "${TEMPORA_RESULT:-# no RESULT line (see $LOG_DIR/bench-tempora.out.err)}"
else
  echo "# tempora on $TEMPORA_TARGET: skipped, nothing listening"
fi
[[ -n "$TS_RESULT" ]]
