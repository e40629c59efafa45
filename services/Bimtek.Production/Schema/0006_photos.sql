-- Photos of output reports and inspections (issue 17). Only the versions made for display are kept (EXIF and
-- every other metadata gone, see Application/PhotoImaging.cs); their bytes live in the media store
-- (Data/MediaStore.cs: local disk or S3) under display_key and thumb_key, this row says whose they are.
-- trainee_id is '' for a staff photo of the programme that shows no one trainee's work.
-- Numbered 0006 so that it does not collide with schema scripts other branches add in the meantime.
CREATE TABLE photos (
    photo_id      TEXT PRIMARY KEY,
    request_id    TEXT NOT NULL UNIQUE,
    request_hash  TEXT NOT NULL,
    programme_id  TEXT NOT NULL,
    trainee_id    TEXT NOT NULL,
    uploaded_by   TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    bytes         BIGINT NOT NULL,
    thumb_width   INTEGER NOT NULL,
    thumb_height  INTEGER NOT NULL,
    thumb_bytes   BIGINT NOT NULL,
    display_key   TEXT NOT NULL,
    thumb_key     TEXT NOT NULL,
    uploaded_at   BIGINT NOT NULL,
    CHECK (width > 0 AND height > 0 AND bytes > 0)
);
CREATE INDEX photos_by_programme ON photos (programme_id, trainee_id);

-- The photos an output report holds, in the order given (stored in the report's own insert transaction).
CREATE TABLE report_photos (
    report_id  TEXT NOT NULL,
    photo_id   TEXT NOT NULL REFERENCES photos (photo_id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (report_id, photo_id)
);

-- The photos of an inspection (stage 'inspection') and of its health-expert sign-off (stage 'sign_off').
CREATE TABLE inspection_photos (
    inspection_id TEXT NOT NULL,
    photo_id      TEXT NOT NULL REFERENCES photos (photo_id),
    stage         TEXT NOT NULL CHECK (stage IN ('inspection', 'sign_off')),
    position      INTEGER NOT NULL,
    PRIMARY KEY (inspection_id, photo_id)
);
