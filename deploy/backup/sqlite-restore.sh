#!/bin/sh
# Restores a sqlite-backup.sh copy into the local run's data folder (README, "Backups and restore").
#
#   deploy/backup/sqlite-restore.sh BACKUP_DIR [DATA_DIR]       default DATA_DIR: data
#
# Stop the suite first (Ctrl+C on `dotnet run --project deploy/AppHost`). Moves the current files aside to
# DATA_DIR/before-restore-<time>/, copies the backup in, then hands every outbox row delivered since the earliest
# copy was taken (less BIMTEK_REWIND_MARGIN_SECONDS, 300) back to its relay, as restore-databases.sh does for
# PostgreSQL. Start the suite again, then run the audit and its repair (README).
set -eu
backup="${1:?usage: sqlite-restore.sh BACKUP_DIR [DATA_DIR]}"
data="${2:-data}"
margin_ms=$(( ${BIMTEK_REWIND_MARGIN_SECONDS:-300} * 1000 ))
command -v sqlite3 >/dev/null || { echo "sqlite-restore: needs the sqlite3 command line (apt-get install sqlite3)" >&2; exit 1; }
[ -r "$backup/manifest.tsv" ] || { echo "sqlite-restore: $backup/manifest.tsv is missing" >&2; exit 1; }
aside="$data/before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$aside"
earliest=""
while IFS="$(printf '\t')" read -r name started file; do
  [ -n "$name" ] || continue
  if [ -z "$earliest" ] || [ "$started" -lt "$earliest" ]; then earliest="$started"; fi
  for suffix in "" -wal -shm; do
    [ ! -f "$data/$name.db$suffix" ] || mv "$data/$name.db$suffix" "$aside/"
  done
  cp "$backup/$file" "$data/$name.db"
done < "$backup/manifest.tsv"
[ ! -d "$backup/keys" ] || { [ ! -d "$data/keys" ] || mv "$data/keys" "$aside/keys"; cp -R "$backup/keys" "$data/keys"; }
since=$((earliest - margin_ms))
for db in "$data"/*.db; do
  # Not notifications' own outbox: it reaches people and outside systems, which do not deduplicate (restore-databases.sh).
  [ "$(basename "$db")" != notifications.db ] || continue
  has="$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'outbox_messages'" < /dev/null)"
  [ "$has" = 1 ] || continue
  resent="$(sqlite3 "$db" "UPDATE outbox_messages SET status = 'pending', attempts = 0, next_attempt_at = 0, last_error = 'sent again after a restore' WHERE status = 'delivered' AND delivered_at >= $since; SELECT changes();" < /dev/null)"
  echo "sqlite-restore: $db: $resent outbox rows delivered since $since ms handed back to the relay"
done
echo "sqlite-restore: done; the files replaced are in $aside"
