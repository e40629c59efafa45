-- Home visits can be moved (new day and window, with a reason) and cancelled (with a reason), issue 18. A visit is
-- scheduled while neither its outcome is logged nor it is cancelled (Domain/HomeVisitRules.cs).
ALTER TABLE home_visits ADD COLUMN cancelled_at BIGINT;
ALTER TABLE home_visits ADD COLUMN change_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE home_visits ADD COLUMN times_moved INTEGER NOT NULL DEFAULT 0;
