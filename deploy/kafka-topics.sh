#!/usr/bin/env bash
# One-shot (docker-compose.yml, service kafka-topics, Kafka image): the routed topics, which the
# bridge requires to exist (it creates only the dead-letter topics). KAFKA_TOPICS lists
# name:partitions pairs; the partitions bound how many bridges share the work (README "How many").
# segment.ms bounds how long past retention.ms a record can stay (README "Retention").
set -euo pipefail
: "${KAFKA_BOOTSTRAP:?}" "${KAFKA_TOPICS:?}" "${KAFKA_TOPIC_RETENTION_MS:?}" "${KAFKA_TOPIC_SEGMENT_MS:?}"
for topic in ${KAFKA_TOPICS//,/ }; do
  "${KAFKA_HOME:-/opt/kafka}"/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP" --create --if-not-exists \
    --topic "${topic%%:*}" --partitions "${topic##*:}" --replication-factor "${KAFKA_REPLICATION_FACTOR:-1}" \
    --config "retention.ms=$KAFKA_TOPIC_RETENTION_MS" --config "segment.ms=$KAFKA_TOPIC_SEGMENT_MS"
done
"${KAFKA_HOME:-/opt/kafka}"/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP" --describe --topic "${KAFKA_TOPICS%%:*}"
