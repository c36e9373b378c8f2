-- NHS numbers, derived in one place for the seed and the scale: NHS_NUMBER(n) is a unique, valid
-- NHS number for the patient number n (0 <= n < 360,000,000). The local engine makes each function
-- a DuckDB macro, so both engines run this very text.
--
-- Every division is exact (x - MOD(x, p) is a multiple of p): Snowflake divides NUMBER values at
-- scale 6 and rounds (59999999 / 10000000 = 6.000000), DuckDB divides in floating point, and only
-- exact divisions give both the same digits. test/sql/nhs-numbers.test.ts evaluates this file under
-- Snowflake's NUMBER rules for every n. Created inner functions first: Snowflake compiles a SQL
-- function's body when it is created.

-- Modulus 11 weights 10 down to 3 on the eight digits of STEM.
CREATE OR REPLACE FUNCTION {{ bronze_db }}.RAW_DATA.NHS_STEM_WEIGHTED_SUM(STEM NUMBER)
  RETURNS NUMBER
  COMMENT = 'Modulus 11 weights 10..3 on the eight digits of STEM'
AS $$
  10 * MOD((STEM - MOD(STEM, 10000000)) / 10000000, 10)
  + 9 * MOD((STEM - MOD(STEM, 1000000)) / 1000000, 10)
  + 8 * MOD((STEM - MOD(STEM, 100000)) / 100000, 10)
  + 7 * MOD((STEM - MOD(STEM, 10000)) / 10000, 10)
  + 6 * MOD((STEM - MOD(STEM, 1000)) / 1000, 10)
  + 5 * MOD((STEM - MOD(STEM, 100)) / 100, 10)
  + 4 * MOD((STEM - MOD(STEM, 10)) / 10, 10)
  + 3 * MOD(STEM, 10)
$$;

-- The ten digits: the stem, the K-th (0..8) ninth digit that leaves a valid check digit, and the
-- check digit. Exactly one ninth digit would need check digit 10, which is never issued: the one
-- where WEIGHTED_SUM + 2 * digit = 1 (mod 11), i.e. digit = 6 * (1 - WEIGHTED_SUM) (mod 11), 6 being
-- the inverse of the weight 2; it is skipped.
CREATE OR REPLACE FUNCTION {{ bronze_db }}.RAW_DATA.NHS_NUMBER_FROM_STEM(STEM NUMBER, K NUMBER, WEIGHTED_SUM NUMBER)
  RETURNS VARCHAR(10)
  COMMENT = 'The NHS number made of STEM, its K-th valid ninth digit and the check digit'
AS $$
  CAST(
    STEM * 100
    + 10 * (K + CASE WHEN K >= MOD(6 * MOD(12 - MOD(WEIGHTED_SUM, 11), 11), 11) THEN 1 ELSE 0 END)
    + MOD(11 - MOD(WEIGHTED_SUM + 2 * (K + CASE WHEN K >= MOD(6 * MOD(12 - MOD(WEIGHTED_SUM, 11), 11), 11) THEN 1 ELSE 0 END), 11), 11)
  AS VARCHAR(10))
$$;

-- Slot s (0 .. 359,999,999): the stem 40,000,000 + s div 9 (so numbers start with 4 to 7) and the
-- ninth digit's choice s mod 9.
CREATE OR REPLACE FUNCTION {{ bronze_db }}.RAW_DATA.NHS_NUMBER_AT_SLOT(SLOT NUMBER)
  RETURNS VARCHAR(10)
  COMMENT = 'The NHS number of slot SLOT (0 <= SLOT < 360,000,000)'
AS $$
  {{ bronze_db }}.RAW_DATA.NHS_NUMBER_FROM_STEM(
    40000000 + (SLOT - MOD(SLOT, 9)) / 9,
    MOD(SLOT, 9),
    {{ bronze_db }}.RAW_DATA.NHS_STEM_WEIGHTED_SUM(40000000 + (SLOT - MOD(SLOT, 9)) / 9)
  )
$$;

-- Patient number n to its slot: n * 12,345,701 mod 360,000,000 is a bijection (12,345,701 is coprime
-- with 360,000,000) that spreads neighbouring patients over the whole range. The product stays
-- below 2^53 for every n.
CREATE OR REPLACE FUNCTION {{ bronze_db }}.RAW_DATA.NHS_NUMBER(N NUMBER)
  RETURNS VARCHAR(10)
  COMMENT = 'A unique, valid NHS number for patient number N (0 <= N < 360,000,000)'
AS $$
  {{ bronze_db }}.RAW_DATA.NHS_NUMBER_AT_SLOT(MOD(N * 12345701, 360000000))
$$;
