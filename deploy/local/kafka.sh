#!/usr/bin/env bash
# Apache Kafka (KRaft, one combined broker+controller) from Maven Central jars.
# Usage: kafka.sh fetch|start|stop|status
source "$(dirname "$0")/common.sh"

VERSION="${KAFKA_VERSION:-4.1.1}"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
LIBS="$CACHE/kafka-$VERSION/libs"
DATA="$RUN/kafka"
PIDFILE="$PIDS/kafka.pid"
LOG="$LOGS/kafka.log"
# A fixed cluster id is fine for a single local node (22 chars of base64 = 16 bytes).
CLUSTER_ID="c3dpdGNoYm9hcmQtbG9jYWw"

fetch() {
  [ -f "$LIBS/kafka_2.13-$VERSION.jar" ] && return 0
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null || apt_install maven
  say "fetching Kafka $VERSION jars from Maven Central into $LIBS"
  local tmp="$LIBS.tmp"; rm -rf "$tmp"
  mvn -B -q -f "$ROOT/deploy/kafka/pom.xml" -Dkafka.version="$VERSION" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" >"$LOGS/kafka-fetch.log" 2>&1 \
    || die "fetching Kafka jars failed; see $LOGS/kafka-fetch.log"
  mv "$tmp" "$LIBS"
}

start() {
  if pid_alive "$PIDFILE"; then say "already running (pid $(cat "$PIDFILE"))"; return 0; fi
  port_open "$PORT" && die "port $PORT is taken by another process; stop it or set KAFKA_PORT"
  fetch
  mkdir -p "$DATA/data"
  sed -e "s#@DATA@#$DATA/data#" -e "s#@PORT@#$PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" \
    "$ROOT/deploy/kafka/server.properties" >"$DATA/server.properties"
  local log_opts="-Dlog4j2.configurationFile=$ROOT/deploy/kafka/log4j2.properties -Dkafka.logs.dir=$DATA"
  if [ ! -f "$DATA/data/meta.properties" ]; then
    # shellcheck disable=SC2086
    java -Xmx256m $log_opts -cp "$LIBS/*" kafka.tools.StorageTool format \
      -t "$CLUSTER_ID" -c "$DATA/server.properties" --ignore-formatted >"$LOGS/kafka-format.log" 2>&1 \
      || die "formatting Kafka storage failed; see $LOGS/kafka-format.log"
  fi
  say "starting Kafka $VERSION on 127.0.0.1:$PORT"
  # shellcheck disable=SC2086
  nohup java -Xms256m -Xmx768m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -XX:TieredStopAtLevel=1 -Djava.awt.headless=true $log_opts -cp "$LIBS/*" kafka.Kafka \
    "$DATA/server.properties" >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  wait_port "$PORT" 90 "$PIDFILE" kafka "$LOG"
  say "Kafka is up (pid $(cat "$PIDFILE"), log $LOG)"
}

stop() { stop_pid "$PIDFILE" kafka; }

status() { pid_alive "$PIDFILE" && echo "kafka: running (pid $(cat "$PIDFILE"))" || echo "kafka: stopped"; }

"${1:?usage: kafka.sh fetch|start|stop|status}"
