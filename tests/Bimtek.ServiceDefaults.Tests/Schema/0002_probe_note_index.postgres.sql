-- bimtek:no-transaction
-- The probe's stand-in for an index added after release to a big table (SchemaMigratorTests): built CONCURRENTLY,
-- outside a transaction, so writers carry on; dropped first, because a build that died leaves an INVALID index.
DROP INDEX CONCURRENTLY IF EXISTS notes_by_sequence;
CREATE INDEX CONCURRENTLY notes_by_sequence ON notes (sequence);
