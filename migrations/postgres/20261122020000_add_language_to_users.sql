-- The language each person chose in Settings ('en', 'fr'); NULL means their browser's.
ALTER TABLE users ADD COLUMN language TEXT;
