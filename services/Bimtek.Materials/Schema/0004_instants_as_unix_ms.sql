-- Issue 15: every instant column holds BIGINT Unix milliseconds (UTC), as in the other services; materials kept
-- microseconds. Each value is divided by 1000 (the sub-millisecond part is dropped, towards the past, on both engines),
-- in place: the type stays BIGINT, so columns, constraints and indexes are untouched. The ledger is append-only for the
-- service; this one conversion of its unit is the schema's, not a correction of an entry. Rows written within the same
-- millisecond now tie on their instant and keep their order by id: new movements and lots get ids that sort in the order
-- they were written (OrderedIds); rows from before this keep the order their random ids give.

UPDATE materials SET created_at = created_at / 1000;
UPDATE products SET created_at = created_at / 1000;
UPDATE bom_versions SET created_at = created_at / 1000;
UPDATE locations SET created_at = created_at / 1000;
UPDATE lots SET received_at = received_at / 1000;
UPDATE balances SET updated_at = updated_at / 1000;
UPDATE movements SET recorded_at = recorded_at / 1000;
UPDATE ledger_entries SET recorded_at = recorded_at / 1000;
UPDATE kit_plans SET created_at = created_at / 1000;
UPDATE consumption_reports SET created_at = created_at / 1000;
