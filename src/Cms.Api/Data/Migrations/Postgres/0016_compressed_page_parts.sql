-- Rendered page parts may be stored compressed (Articles/Pages/StoredParts.cs), which a build that predates this would
-- serve as stored: the version number alone makes such a build refuse the database. PostgreSQL stores them as
-- before (its TOAST compresses large values), but a node of an older build must not share the database with newer ones.
SELECT 1;
