-- PostgreSQL's 0012 has the service build its search documents (as SQLite's index file always has been) and lets
-- whole-document writes write them and mark pages due themselves. Nothing changes on SQLite; the script keeps the two
-- engines' version numbers alike.
SELECT 1;
