-- The mistake: a price list in pounds loaded as pence, every price a hundred times too high.
UPDATE {{ database }}.SALES.PRODUCTS SET PRICE_PENCE = PRICE_PENCE * 100;
