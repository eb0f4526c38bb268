-- The console's language per account (issue 15): zh-CN or en; NULL follows the site's web.language. Portable.
ALTER TABLE accounts ADD COLUMN language TEXT NULL;
