-- 38: when a message last showed the customer the menu ({{> menu}}), so that a reply soon
-- after can leave it out (store/migrations.cpp, migration 38).
ALTER TABLE customers ADD COLUMN menu_shown_at BIGINT;
