-- PostgreSQL's page and search triggers became cheaper under this number, and its search index takes each change at
-- once; SQLite's triggers are compiled with each statement and already skip comments that are not approved, and its
-- search index is its own file: its schema is unchanged.
SELECT 1;
