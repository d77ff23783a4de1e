-- 39: when the shopper last named a size or gave their height or weight, so that the replies
-- just after do not ask for them again (store/migrations.cpp, migration 39).
ALTER TABLE customers ADD COLUMN size_told_at BIGINT;
ALTER TABLE customers ADD COLUMN measurements_told_at BIGINT;
