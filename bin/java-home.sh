# Sourced by the launchers: exports JAVA_HOME pointing at a JDK >= 21.
# Honours an existing JAVA_HOME when it is new enough, else tries the usual install locations.
java_major() {
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1
}
find_java_home() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64)
  for d in /usr/lib/jvm/*; do candidates+=("$d"); done
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ]; then
      local v; v=$(java_major "$c")
      if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$c"; return 0; fi
    fi
  done
  return 1
}
if ! JAVA_HOME=$(find_java_home); then
  echo "error: Tempora needs a JDK 21 or newer; set JAVA_HOME to one" >&2
  exit 1
fi
export JAVA_HOME
