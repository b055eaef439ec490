#!/usr/bin/env bash
# Runs one of Kafka's command-line tool classes on the cached Kafka classpath, e.g.
#   scripts/kafka/tool.sh org.apache.kafka.tools.consumer.ConsoleConsumer \
#     --bootstrap-server 127.0.0.1:9092 --topic t --from-beginning --max-messages 1
#   scripts/kafka/tool.sh org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
#     --bootstrap-server 127.0.0.1:9092 --list
#   scripts/kafka/tool.sh org.apache.kafka.tools.ProducerPerformance ...
# Uses KFLOW_KAFKA_LIBS when set (as start.sh's env file provides), else the cache,
# resolving it first if needed. Tool logging is WARN and above on stderr.
# Extra JVM options: KFLOW_KAFKA_TOOL_OPTS (default: a small heap and quick JIT start-up).
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 CLASS [ARGS...]" >&2
  exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -n "${KFLOW_KAFKA_LIBS:-}" ]]; then
  libs="$KFLOW_KAFKA_LIBS"
else
  # shellcheck source=scripts/kafka/common.sh
  source "$here/common.sh"
  libs="$(kflow_kafka_libs || "$here/install.sh")"
fi

class="$1"
shift
# shellcheck disable=SC2086 # KFLOW_KAFKA_TOOL_OPTS is a list of options
exec "${JAVA:-java}" ${KFLOW_KAFKA_TOOL_OPTS:--Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC} \
  -Djava.awt.headless=true -Dlog4j2.configurationFile="$here/tools-log4j2.properties" \
  -cp "$libs/*" "$class" "$@"
