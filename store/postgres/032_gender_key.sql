-- 32: a customer's gender as a segment compares it ('male', 'female' or NULL), written by
-- the repository (store/migrations.cpp, migration 32).
ALTER TABLE customers ADD COLUMN gender_key TEXT;
