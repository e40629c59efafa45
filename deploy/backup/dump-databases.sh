#!/bin/sh
# pg_dump of every service's database, one after the other, for compose (README, "Backups and restore").
#
#   deploy/backup/dump-databases.sh OUTDIR [service...]
#
# Writes OUTDIR/<service>.dump (pg_dump custom format) and appends a line per dump to OUTDIR/manifest.tsv:
#   service  database  started_ms  finished_ms  file
# (times from the server's clock, Unix milliseconds). Each dump is consistent in itself, but the databases are
# dumped at DIFFERENT moments: restore-databases.sh re-sends what the later dumps' outboxes delivered after the
# earliest one started, and the audit names what it cannot mend (README). Dumped in the order of the effects'
# flow, receivers before senders (notifications, identity and the coordinator's Orleans database first, participants
# last), so
# a sender's dump is always the later one: it still holds every message its receivers may have missed, and no
# receiver holds an effect its sender lost.
#
# Runs the PostgreSQL tools inside the compose postgres container as the superuser; BIMTEK_PG_EXEC (a command
# prefix; empty = run them here, with PGHOST/PGPORT/PGUSER from the environment) and BIMTEK_DATABASES
# ("service:database ..." in dump order) exist for the restore drill test (tests/Bimtek.Faults.Tests).
set -eu
out="${1:?usage: dump-databases.sh OUTDIR [service...]}"
shift
exec_prefix="${BIMTEK_PG_EXEC-docker compose -f deploy/compose.yaml --env-file deploy/.env exec -T postgres}"
databases="${BIMTEK_DATABASES:-notifications:bimtek_notifications identity:bimtek_identity coordinator:bimtek_orleans materials:bimtek_materials distribution:bimtek_distribution production:bimtek_production participants:bimtek_participants}"
user="${PGUSER:-postgres}"

pg() { $exec_prefix "$@"; }
now_ms() { pg psql -X -A -t -q -v ON_ERROR_STOP=1 -U "$user" -d "$1" -c "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint" < /dev/null; }

mkdir -p "$out"
for pair in $databases; do
  service="${pair%%:*}"
  database="${pair#*:}"
  if [ "$#" -gt 0 ]; then
    wanted=false
    for name in "$@"; do [ "$name" = "$service" ] && wanted=true; done
    [ "$wanted" = true ] || continue
  fi
  file="$service.dump"
  started="$(now_ms "$database")"
  pg pg_dump -U "$user" --format=custom --no-owner --no-privileges --dbname="$database" < /dev/null > "$out/$file.partial"
  finished="$(now_ms "$database")"
  mv "$out/$file.partial" "$out/$file"
  printf '%s\t%s\t%s\t%s\t%s\n' "$service" "$database" "$started" "$finished" "$file" >> "$out/manifest.tsv"
  echo "dump-databases: $service ($database) -> $out/$file, $(wc -c < "$out/$file") bytes, snapshot at $started ms"
done
