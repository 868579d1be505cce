#!/usr/bin/env bash
# One-shot (docker-compose.yml, service temporal-namespace, admin-tools image), once the server is
# healthy: the namespace with its retention (the dedup window: keep it at least the Kafka topics'
# retention, README "Retention") and the search attributes every run carries, as in
# workflows/search-attributes.ts. Safe to run again: an existing namespace gets the retention set,
# an existing search attribute is left as it is.
set -euo pipefail
: "${TEMPORAL_ADDRESS:?}" "${TEMPORAL_NAMESPACE:?}" "${TEMPORAL_NAMESPACE_RETENTION:?}"
op() { temporal operator "$@" --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE"; }
# A new namespace reaches every frontend's cache only after a refresh (seconds): retry, bounded.
retry() { for _ in $(seq 1 30); do "$@" && return 0; sleep 2; done; echo "gave up: $*" >&2; return 1; }
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do echo "waiting for Temporal at $TEMPORAL_ADDRESS"; sleep 2; done
if op namespace describe >/dev/null 2>&1; then
  retry op namespace update --retention "$TEMPORAL_NAMESPACE_RETENTION"
else
  op namespace create --retention "$TEMPORAL_NAMESPACE_RETENTION"
fi
existing="$(retry op search-attribute list)"
for attribute in KafkaTopic:Keyword KafkaPartition:Int KafkaOffset:Int KafkaKey:Keyword AgentStatus:Keyword; do
  name="${attribute%%:*}" type="${attribute##*:}"
  if grep -qw "$name" <<<"$existing"; then echo "search attribute $name exists"; continue; fi
  retry op search-attribute create --name "$name" --type "$type"
done
echo "namespace $TEMPORAL_NAMESPACE ready (retention $TEMPORAL_NAMESPACE_RETENTION)"
