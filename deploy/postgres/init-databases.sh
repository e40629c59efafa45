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
