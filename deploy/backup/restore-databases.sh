#!/bin/sh
# Restores the dumps of dump-databases.sh into a NEW, empty PostgreSQL (README, "Backups and restore").
#
#   deploy/backup/restore-databases.sh DIR
#
# Before: a fresh volume, and only the postgres service started (`docker compose ... up -d postgres`): its init
# script has created every service's role and empty database. For each line of DIR/manifest.tsv it restores the
# dump into that database in one transaction, owned by the service's role. Then, because the dumps were taken
# at different moments, it hands every outbox row that was DELIVERED after the earliest dump started (less a
# margin for clock skew, BIMTEK_REWIND_MARGIN_SECONDS, 300) back to its relay: a receiver dumped before the
# delivery lost the effect and applies it again; one that still has it deduplicates on the message id (its
# request_id). Not notifications' own outbox (BIMTEK_REWIND_SKIP): it sends to people and outside systems, which
# do not deduplicate; what it lost comes back as the senders' re-sent events arrive. Start the services afterwards; then run the audit, and its repair for what no outbox carries
# (README: a report RECORDED in production whose consumption materials lost).
#
# BIMTEK_PG_EXEC (command prefix; empty = run the tools here with PGHOST/PGPORT/PGUSER) and BIMTEK_ROLE_PREFIX
# (bimtek_; empty = keep the connecting user as owner) exist for the restore drill test.
set -eu
dir="${1:?usage: restore-databases.sh DIR}"
exec_prefix="${BIMTEK_PG_EXEC-docker compose -f deploy/compose.yaml --env-file deploy/.env exec -T postgres}"
role_prefix="${BIMTEK_ROLE_PREFIX-bimtek_}"
margin_ms=$(( ${BIMTEK_REWIND_MARGIN_SECONDS:-300} * 1000 ))
user="${PGUSER:-postgres}"
manifest="$dir/manifest.tsv"
[ -r "$manifest" ] || { echo "restore-databases: $manifest is missing" >&2; exit 1; }

pg() { $exec_prefix "$@"; }
# Each tool gets its own stdin (a file, a here-document or /dev/null): `docker compose exec -T` would otherwise
# read the manifest the loops below are reading.
sql() { database="$1"; shift; pg psql -X -A -t -q -v ON_ERROR_STOP=1 -U "$user" -d "$database" "$@"; }

earliest=""
while IFS="$(printf '\t')" read -r service database started finished file; do
  [ -n "$service" ] || continue
  if [ -z "$earliest" ] || [ "$started" -lt "$earliest" ]; then earliest="$started"; fi
  tables="$(sql "$database" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'" < /dev/null)"
  [ "$tables" = 0 ] || { echo "restore-databases: $database already holds $tables tables; restore into an empty database" >&2; exit 1; }
  role=""
  [ -z "$role_prefix" ] || role="--role=$role_prefix$service"
  pg pg_restore -U "$user" --exit-on-error --single-transaction --no-owner --no-privileges $role --dbname="$database" < "$dir/$file"
  echo "restore-databases: $service ($database) restored from $file (dumped at $started ms)"
done < "$manifest"
[ -n "$earliest" ] || { echo "restore-databases: $manifest names no dump" >&2; exit 1; }

since=$((earliest - margin_ms))
while IFS="$(printf '\t')" read -r service database started finished file; do
  [ -n "$service" ] || continue
  case " ${BIMTEK_REWIND_SKIP-notifications} " in *" $service "*) echo "restore-databases: $service: outbox left as dumped"; continue ;; esac
  [ "$(sql "$database" -c "SELECT to_regclass('public.outbox_messages') IS NOT NULL" < /dev/null)" = t ] || continue
  resent="$(sql "$database" -v since="$since" <<'SQL'
WITH resent AS (
  UPDATE outbox_messages SET status = 'pending', attempts = 0, next_attempt_at = 0, last_error = 'sent again after a restore'
  WHERE status = 'delivered' AND delivered_at >= :since RETURNING 1)
SELECT count(*) FROM resent;
SQL
)"
  echo "restore-databases: $service: $resent outbox rows delivered since $since ms handed back to the relay"
done < "$manifest"
echo "restore-databases: done. Start the services, then run the audit (and its repair): README, Backups and restore."
