-- Why a notice was withdrawn, as a phrase (JSON: key, English, values) the console words in its reader's language;
-- withdrawn_reason keeps the English for the command line and the campaign office's messages. NULL on a notice
-- withdrawn before this migration: the console shows its English. Portable between SQLite and PostgreSQL.
ALTER TABLE notices ADD COLUMN withdrawn_phrase TEXT NULL;
