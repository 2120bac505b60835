-- Keys with roles: when each was last used (written at most once a minute per key).
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;
