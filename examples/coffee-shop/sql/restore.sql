-- Back to the prices the backup holds. Safe to run again: it replaces PRODUCTS with the same clone.
CREATE OR REPLACE TABLE {{ database }}.SALES.PRODUCTS CLONE {{ database }}.SALES.PRODUCTS_BACKUP;
