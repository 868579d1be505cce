#!/usr/bin/env bash
# One-shot (docker-compose.yml, service temporal-schema, admin-tools image): creates Temporal's two
# PostgreSQL databases and brings their schemas to this server version with the server's own SQL
# tool and the schema files the image ships. Safe to run again: existing databases are kept and
# update-schema applies only the versions not yet applied.
set -euo pipefail
sql() { temporal-sql-tool --plugin postgres12 --endpoint "$POSTGRES_SEEDS" --port "${DB_PORT:-5432}" --user "$POSTGRES_USER" --password "$POSTGRES_PWD" "$@"; }
for db in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  name="${db%%:*}" dir="${db##*:}"
  sql --database "$name" create-database 2>/dev/null || echo "database $name exists"
  sql --database "$name" setup-schema -v 0.0 2>/dev/null || echo "schema of $name already set up"
  sql --database "$name" update-schema -d "${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}/postgresql/v12/$dir/versioned"
done
echo "Temporal schemas ready"
