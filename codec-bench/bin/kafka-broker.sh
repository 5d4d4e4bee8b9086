#!/usr/bin/env bash
# A real single-node Apache Kafka broker (4.4, KRaft: controller and broker in one process) on
# loopback, from Maven Central jars, for `framecodec kafka bench` and for trying
# `framecodec kafka produce|work|results` by hand. Nothing outside this machine is contacted
# except Maven's repository, once, for the jars.
#
#   kafka-broker.sh start [DIR] [PORT]   format DIR (first time), start, wait until it listens
#   kafka-broker.sh stop [DIR]           stop it (SIGTERM, controlled shutdown) and wait
#
# Create topics with `framecodec kafka topics --bootstrap 127.0.0.1:PORT frames:8 ...`.
# DIR defaults to /tmp/framecodec-kafka, PORT to 9092 (the controller listens on PORT+1). The
# broker's log is DIR/broker.log; JAVA_OPTS defaults to -Xmx1g.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cmd=${1:-start}
dir=${2:-/tmp/framecodec-kafka}
port=${3:-9092}
cp_file=$dir/classpath.txt

classpath() {
  if [[ ! -s $cp_file ]]; then
    mvn -B -q -f "$root/codec-bench/kafka/broker-pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$cp_file" >&2
  fi
  cat "$cp_file"
}

case $cmd in
  start)
    mkdir -p "$dir"
    if [[ -f $dir/pid ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
      echo "kafka-broker: already running (pid $(cat "$dir/pid")) in $dir" >&2
      exit 0
    fi
    cp=$(classpath)
    cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((port + 1))
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$((port + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
    if [[ ! -f $dir/data/meta.properties ]]; then
      id=$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
      java -cp "$cp" kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" >/dev/null
    fi
    # shellcheck disable=SC2086
    nohup java ${JAVA_OPTS:--Xmx1g} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
      kafka.Kafka "$dir/server.properties" >"$dir/broker.log" 2>&1 &
    echo $! >"$dir/pid"
    for _ in $(seq 1 240); do
      if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
        echo "kafka-broker: listening on 127.0.0.1:$port (pid $(cat "$dir/pid"), log $dir/broker.log)" >&2
        exit 0
      fi
      if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
        echo "kafka-broker: the broker exited; see $dir/broker.log:" >&2
        tail -20 "$dir/broker.log" >&2
        exit 1
      fi
      sleep 0.5
    done
    echo "kafka-broker: not listening after 120 s; see $dir/broker.log" >&2
    exit 1
    ;;
  stop)
    if [[ ! -f $dir/pid ]]; then
      echo "kafka-broker: no pid file in $dir" >&2
      exit 0
    fi
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 120); do
      kill -0 "$pid" 2>/dev/null || { rm -f "$dir/pid"; echo "kafka-broker: stopped" >&2; exit 0; }
      sleep 0.5
    done
    echo "kafka-broker: pid $pid still running after 60 s" >&2
    exit 1
    ;;
  *)
    echo "usage: kafka-broker.sh start|stop [DIR] [PORT]" >&2
    exit 2
    ;;
esac
