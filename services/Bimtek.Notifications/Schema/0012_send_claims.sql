-- At most one provider call per message from the provider's point of view: a send claims the message and records
-- its attempt ("in_flight") in one commit BEFORE calling the provider, and settles both in one commit after.
-- A claim left by a process that died mid-call is never re-sent blindly: the message becomes UNKNOWN (status 7)
-- until the provider's delivery report settles it, or it turns FAILED after Notifications:UnknownOutcomeWindow.

ALTER TABLE messages ADD COLUMN in_flight_since BIGINT;

ALTER TABLE messages ADD COLUMN in_flight_channel INTEGER NOT NULL DEFAULT 0;

ALTER TABLE messages ADD COLUMN unknown_since BIGINT;
