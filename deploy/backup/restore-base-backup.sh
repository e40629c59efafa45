#!/bin/sh
# Prepares an EMPTY PostgreSQL data directory from base-backup.sh's base.tar.gz (README, "Backups and restore").
#
#   restore-base-backup.sh BASE_TAR_GZ PGDATA [TARGET_TIME ARCHIVE_DIR]
#
# Without a target: the cluster as it was when the base backup ended. With TARGET_TIME (e.g.
# '2026-12-06 08:15:00+00') and the WAL archive's folder: recovery replays the archived WAL up to that moment
# and then opens for writes (point-in-time recovery). Run it as root or as the server's user where the data
# directory lives — for compose, inside a one-off postgres container (README gives the command); then start
# PostgreSQL on PGDATA. Every service's database comes back at the same instant: the outboxes deliver what was
# pending then, production's reconciler settles PENDING reports, and nothing else needs repair.
set -eu
backup="${1:?usage: restore-base-backup.sh BASE_TAR_GZ PGDATA [TARGET_TIME ARCHIVE_DIR]}"
pgdata="${2:?usage: restore-base-backup.sh BASE_TAR_GZ PGDATA [TARGET_TIME ARCHIVE_DIR]}"
target="${3:-}"
archive="${4:-}"
mkdir -p "$pgdata"
[ -z "$(ls -A "$pgdata")" ] || { echo "restore-base-backup: $pgdata is not empty; restore into an empty data directory" >&2; exit 1; }
tar -xzf "$backup" -C "$pgdata"
if [ -n "$target" ]; then
  [ -n "$archive" ] || { echo "restore-base-backup: a TARGET_TIME needs the WAL archive's folder" >&2; exit 1; }
  cat >> "$pgdata/postgresql.auto.conf" <<CONF
# Point-in-time recovery (deploy/backup/restore-base-backup.sh): remove these lines after the first start.
restore_command = 'cp "$archive/%f" "%p"'
recovery_target_time = '$target'
recovery_target_action = 'promote'
CONF
  touch "$pgdata/recovery.signal"
fi
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
  chown -R postgres:postgres "$pgdata"
fi
chmod 700 "$pgdata"
echo "restore-base-backup: $pgdata prepared from $backup${target:+, recovering to $target}"
