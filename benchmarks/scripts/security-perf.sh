#!/usr/bin/env bash
# security-perf.sh BOOTSTRAP [CLIENT_PROPERTIES]
#   Kafka's own perf tools against any broker, with the client settings of a listener (TLS, SASL):
#   produce 1,000,000 x 100 B acks=all (linger.ms=5, batch.size=65536, one partition), then consume them.
#   stdout, one TSV line per scenario: scenario  records_per_s  MB_per_s
#   env: KAFKA_LIB (default ../../../shared/tools/kafka-ref/lib), JAVA_HOME, RECORDS (default 1000000)
# Run it against PLAINTEXT and SASL_SSL listeners of pgkafka and of Apache Kafka in the same sitting and
# compare the ratios: see "Securing pgkafka" in the README.
set -uo pipefail
boot="${1:?usage: security-perf.sh BOOTSTRAP [CLIENT_PROPERTIES]}"
props="${2:-}"
here="$(cd "$(dirname "$0")" && pwd)"
lib="${KAFKA_LIB:-$here/../../../shared/tools/kafka-ref/lib}"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
n="${RECORDS:-1000000}"
topic="secperf-$(date +%s)-$$"
cfg=()
[ -n "$props" ] && cfg=(--command-config "$props")
tool() { local cls=$1; shift; timeout 300 "$java" -Xmx512m -cp "$lib/*" "org.apache.kafka.tools.$cls" "$@"; }

tool TopicCommand --bootstrap-server "$boot" "${cfg[@]}" --create --topic "$topic" --partitions 1 \
  --replication-factor 1 >/dev/null 2>&1 || echo "warn: topic not created, relying on auto-create" >&2
p=$(tool ProducerPerformance --bootstrap-server "$boot" "${cfg[@]}" --topic "$topic" --num-records "$n" \
  --record-size 100 --throughput -1 --command-property acks=all linger.ms=5 batch.size=65536 2>&1 \
  | grep -E '^[0-9]+ records sent' | tail -1)
printf 'produce-100B\t%s\t%s\n' "$(echo "$p" | sed -E 's/.*sent, ([0-9.]+) records\/sec.*/\1/')" \
  "$(echo "$p" | sed -E 's/.*\(([0-9.]+) MB\/sec\).*/\1/')"
c=$(tool ConsumerPerformance --bootstrap-server "$boot" "${cfg[@]}" --topic "$topic" --num-records "$n" \
  --timeout 60000 --group "$topic-reader" --hide-header 2>&1 | grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2} .*, .*, ' | tail -1)
# start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,
# fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
printf 'consume-100B\t%s\t%s\n' "$(echo "$c" | awk -F', *' '{print $10}')" "$(echo "$c" | awk -F', *' '{print $9}')"
