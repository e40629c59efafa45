-- Issue 19: participants' instances answer GetProgramme and CheckEnrolment from memory between writes. A write to
-- what those views read tells every instance at its commit (LISTEN bimtek_data_changed; one notification per
-- transaction, since PostgreSQL folds identical ones). SQLite needs none of this: one process owns its file.
CREATE FUNCTION notify_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('bimtek_data_changed', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER programmes_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programmes
    FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
CREATE TRIGGER programme_staff_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programme_staff
    FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
CREATE TRIGGER people_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
CREATE TRIGGER enrolments_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON enrolments
    FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
