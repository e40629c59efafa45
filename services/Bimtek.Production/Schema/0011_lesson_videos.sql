-- Lesson videos served by the suite (issue 17): an office uploads a programme's lesson video once; lessons
-- (participants) then name it by its same-origin URL /api/v1/videos/{video_id}. The bytes live in the media store
-- (Data/MediaStore.cs: local disk or S3) under media_key, as uploaded; this row says whose it is and how long.
-- Numbered 0011 so that it does not collide with schema scripts other branches add in the meantime.
CREATE TABLE lesson_videos (
    video_id      TEXT PRIMARY KEY,
    request_id    TEXT NOT NULL UNIQUE,
    request_hash  TEXT NOT NULL,
    programme_id  TEXT NOT NULL,
    uploaded_by   TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    bytes         BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    media_key     TEXT NOT NULL,
    uploaded_at   BIGINT NOT NULL,
    CHECK (bytes > 0)
);
CREATE INDEX lesson_videos_by_programme ON lesson_videos (programme_id, video_id);
