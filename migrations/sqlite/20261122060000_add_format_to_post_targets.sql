-- Where on each account a post appears: its feed, or an Instagram Story (24 hours, one picture
-- or video, no caption).
ALTER TABLE post_targets ADD COLUMN format TEXT NOT NULL DEFAULT 'feed' CHECK (format IN ('feed', 'story'));
