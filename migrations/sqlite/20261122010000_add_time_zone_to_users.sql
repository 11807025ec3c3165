-- The IANA time zone each person sees times in; NULL until they choose one (shown as UTC).
ALTER TABLE users ADD COLUMN time_zone TEXT;
