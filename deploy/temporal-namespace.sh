#!/usr/bin/env bash
# One-shot (docker-compose.yml, service temporal-namespace, admin-tools image), once the server is
# healthy: the namespace with its retention (the dedup window: keep it at least the Kafka topics'
# retention, README "Retention") and the search attributes every run carries, as in
# workflows/search-attributes.ts. Safe to run again: an existing namespace gets the retention set,
# an existing search attribute is left as it is.
set -euo pipefail
: "${TEMPORAL_ADDRESS:?}" "${TEMPORAL_NAMESPACE:?}" "${TEMPORAL_NAMESPACE_RETENTION:?}"
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do echo "waiting for Temporal at $TEMPORAL_ADDRESS"; sleep 2; done
if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  temporal operator namespace update --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" --retention "$TEMPORAL_NAMESPACE_RETENTION"
else
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" --retention "$TEMPORAL_NAMESPACE_RETENTION"
fi
existing="$(temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE")"
for attribute in KafkaTopic:Keyword KafkaPartition:Int KafkaOffset:Int KafkaKey:Keyword AgentStatus:Keyword; do
  name="${attribute%%:*}" type="${attribute##*:}"
  if grep -qw "$name" <<<"$existing"; then echo "search attribute $name exists"; continue; fi
  temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" --name "$name" --type "$type"
done
echo "namespace $TEMPORAL_NAMESPACE ready (retention $TEMPORAL_NAMESPACE_RETENTION)"
