#!/bin/sh
# Online backup of the local run's embedded SQLite databases (README, "Backups and restore").
#
#   deploy/backup/sqlite-backup.sh [DATA_DIR] [OUTDIR]        defaults: data, backups/sqlite-<UTC time>
#
# While the suite runs: each service's file is copied with SQLite's `VACUUM INTO`, which reads one consistent
# snapshot inside a read transaction (writers carry on; WAL mode) and writes a compact, complete database file —
# never a bare `cp` of a live database and its -wal file. Like pg_dump per database, every file is its own
# instant: receivers before senders (identity and the coordinator first, participants last), and the restore
# re-sends what was delivered after the earliest copy. Also copies the development keys (DATA_DIR/keys).
# Needs the sqlite3 command line (Debian: apt-get install sqlite3).
set -eu
data="${1:-data}"
out="${2:-backups/sqlite-$(date -u +%Y%m%dT%H%M%SZ)}"
command -v sqlite3 >/dev/null || { echo "sqlite-backup: needs the sqlite3 command line (apt-get install sqlite3)" >&2; exit 1; }
mkdir -p "$out"
for name in notifications identity coordinator-orleans coordinator materials distribution production participants; do
  file="$data/$name.db"
  [ -f "$file" ] || continue
  started="$(date +%s%3N)"
  target="$out/$name.db"
  rm -f "$target"
  # Single quotes inside the path are doubled for the SQL string literal.
  sqlite3 -bail "$file" ".timeout 10000" "VACUUM INTO '$(printf '%s' "$target" | sed "s/'/''/g")'"
  check="$(sqlite3 "$target" "PRAGMA integrity_check")"
  [ "$check" = ok ] || { echo "sqlite-backup: $target failed its integrity check: $check" >&2; exit 1; }
  printf '%s\t%s\t%s\n' "$name" "$started" "$name.db" >> "$out/manifest.tsv"
  echo "sqlite-backup: $file -> $target ($(wc -c < "$target") bytes, at $started ms)"
done
[ -s "$out/manifest.tsv" ] || { echo "sqlite-backup: no service database under $data" >&2; exit 1; }
[ ! -d "$data/keys" ] || cp -R "$data/keys" "$out/keys"
echo "sqlite-backup: done: $out"
