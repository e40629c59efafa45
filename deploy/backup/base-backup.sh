#!/bin/sh
# The recommended backup (README, "Backups and restore"): a base backup of the whole PostgreSQL cluster.
#
#   deploy/backup/base-backup.sh OUTDIR
#
# pg_basebackup copies every service's database AT ONE INSTANT (they all live in the one compose cluster), so a
# restore needs no cross-service repair, and with WAL archiving (compose.wal-archive.yaml) it can be rolled
# forward to any later moment (point-in-time recovery). Writes OUTDIR/base.tar.gz, self-contained: the WAL the
# copy needs to be consistent is inside it (-X fetch). Online: the suite keeps running.
#
# BIMTEK_PG_EXEC (command prefix; empty = run pg_basebackup here with PGHOST/PGPORT/PGUSER) exists for tests.
set -eu
out="${1:?usage: base-backup.sh OUTDIR}"
exec_prefix="${BIMTEK_PG_EXEC-docker compose -f deploy/compose.yaml --env-file deploy/.env exec -T postgres}"
user="${PGUSER:-postgres}"
mkdir -p "$out"
$exec_prefix pg_basebackup -U "$user" --pgdata=- --format=tar --gzip --wal-method=fetch --checkpoint=fast \
  --label="bimtek base backup $(date -u +%Y-%m-%dT%H:%M:%SZ)" < /dev/null > "$out/base.tar.gz.partial"
gzip -t "$out/base.tar.gz.partial"
mv "$out/base.tar.gz.partial" "$out/base.tar.gz"
echo "base-backup: $out/base.tar.gz ($(wc -c < "$out/base.tar.gz") bytes), taken $(date -u +%Y-%m-%dT%H:%M:%SZ)"
