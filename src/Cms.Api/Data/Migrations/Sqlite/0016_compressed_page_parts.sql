-- Rendered page parts may be stored compressed (Articles/Pages/StoredParts.cs), which a build that predates this would
-- serve as stored: the version number alone makes such a build refuse the database.
SELECT 1;
