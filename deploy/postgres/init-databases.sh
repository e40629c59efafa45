#!/bin/sh
# Runs once, when the PostgreSQL volume is new. Least privilege: per service one login role
# (bimtek_<service>: no superuser, cannot create roles or databases) that owns only its own database;
# the coordinator's role owns the Orleans database. Nobody else may connect to a service's database
# (CONNECT and TEMP revoked from PUBLIC). No service connects as the superuser.
# Passwords come from the compose secrets /run/secrets/postgres_<service>: one pgpass line
# "*:*:*:bimtek_<service>:<password>" each, the same file the service reads through Passfile=.
# BIMTEK_SECRETS_DIR and BIMTEK_PREFIX (defaults /run/secrets and bimtek_) exist for the test that runs
# this script against a test server (tests/Bimtek.Deploy.Tests/DatabaseRoleTests.cs).
set -eu
secrets="${BIMTEK_SECRETS_DIR:-/run/secrets}"
prefix="${BIMTEK_PREFIX:-bimtek_}"
for pair in participants:participants materials:materials production:production distribution:distribution \
            identity:identity coordinator:orleans notifications:notifications; do
  service="${pair%%:*}"
  role="$prefix$service"
  database="$prefix${pair#*:}"
  file="$secrets/postgres_$service"
  [ -r "$file" ] || { echo "init-databases: secret $file is missing or unreadable" >&2; exit 1; }
  password="$(sed -n '1s/^[^:]*:[^:]*:[^:]*:[^:]*://p' "$file")"
  [ -n "$password" ] || { echo "init-databases: $file holds no pgpass line (*:*:*:$role:password)" >&2; exit 1; }
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
    --set role="$role" --set password="$password" --set database="$database" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
CREATE DATABASE :"database" OWNER :"role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
done

# The operators' audit command (README, Audit) reads with its own role, bimtek_audit: it may connect to the four
# databases it checks and SELECT their tables (those there now and those the services' roles create later), and
# nothing else; its sessions are read-only by default too. Made only when its password file is given
# (/run/secrets/postgres_audit, "*:*:*:bimtek_audit:<password>").
audit_file="$secrets/postgres_audit"
if [ -r "$audit_file" ]; then
  audit="${prefix}audit"
  password="$(sed -n '1s/^[^:]*:[^:]*:[^:]*:[^:]*://p' "$audit_file")"
  [ -n "$password" ] || { echo "init-databases: $audit_file holds no pgpass line (*:*:*:$audit:password)" >&2; exit 1; }
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres --set role="$audit" --set password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
ALTER ROLE :"role" SET default_transaction_read_only = on;
SQL
  for service in participants materials production distribution; do
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$prefix$service" \
      --set audit="$audit" --set owner="$prefix$service" --set database="$prefix$service" <<'SQL'
GRANT CONNECT ON DATABASE :"database" TO :"audit";
GRANT USAGE ON SCHEMA public TO :"audit";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"audit";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT ON TABLES TO :"audit";
SQL
  done
fi
