#!/bin/bash
# Profiles a Tempora server under RawLoad with async-profiler (tools.profiler:async-profiler from Maven Central),
# attached after the warmup so the JIT's first minute is left out.
#   bench/profile/profile.sh NAME [RawLoad args...]    e.g.  bench/profile/profile.sh base -n 15000 --warmup 20000
# Environment: PROF_DELAY (s after the server is ready, default 75), PROF_SECS (15), EVENT (itimer; cpu needs
# perf_events), PORT (7320), SERVER_JAR (server/target/tempora-server.jar), OUT (bench/target/profiles).
# Writes OUT/NAME.collapsed (folded stacks: one line per stack with its sample count); summarise with
# bench/profile/summarise.py OUT/NAME.collapsed.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bin/java-home.sh
NAME=${1:?usage: profile.sh NAME [RawLoad args...]}; shift
AP_VERSION=4.1
AP_JAR=~/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar
[ -f "$AP_JAR" ] || mvn -q -B dependency:get -Dartifact=tools.profiler:async-profiler:$AP_VERSION
OUT=${OUT:-bench/target/profiles}; mkdir -p "$OUT/ap"
unzip -o -q "$AP_JAR" 'linux-x64/*' -d "$OUT/ap"
LIB=$(readlink -f "$OUT/ap/linux-x64/libasyncProfiler.so")
PORT=${PORT:-7320}; DB="$OUT/$NAME.db"; rm -f "$DB"*
"$JAVA_HOME/bin/java" -jar "${SERVER_JAR:-server/target/tempora-server.jar}" server start-dev --port "$PORT" -f "$DB" \
  > "$OUT/$NAME.server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do grep -q "ready on" "$OUT/$NAME.server.log" && break; sleep 0.2; done
COLLAPSED=$(readlink -f "$OUT")/$NAME.collapsed
( sleep "${PROF_DELAY:-75}"
  "$JAVA_HOME/bin/jcmd" $SERVER "JVMTI.agent_load $LIB \"start,event=${EVENT:-itimer},interval=2ms\"" > /dev/null
  sleep "${PROF_SECS:-15}"
  "$JAVA_HOME/bin/jcmd" $SERVER "JVMTI.agent_load $LIB \"stop,file=$COLLAPSED,collapsed\"" > /dev/null ) &
"$JAVA_HOME/bin/java" -cp 'bench/target/tempora-bench.jar:bench/target/lib/*' io.tempora.bench.RawLoad \
  --target 127.0.0.1:"$PORT" --server-pid $SERVER "$@" 2>/dev/null | tail -1
wait %2 || true
echo "profile: $COLLAPSED"
