-- Whether the shop's database exists yet (1) or not (0): before the first build there is nothing to check.
SHOW DATABASES LIKE '{{ database }}'
->> SELECT COUNT(*) AS SHOP_EXISTS FROM $1;
