#!/bin/sh
# Runs once, when the PostgreSQL volume is new: one database per service, plus one for Orleans.
set -eu
for db in participants materials production distribution identity orleans; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -c "CREATE DATABASE bimtek_$db"
done
