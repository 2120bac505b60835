-- PostgreSQL's 0012 lets whole-document writes bring search documents and pages due up to date themselves, once per
-- batch, instead of its triggers. SQLite's document store needs no such setting: nothing changes here, and the script
-- keeps the two engines' version numbers alike.
SELECT 1;
