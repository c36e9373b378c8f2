-- Exactly 500,809 prescriptions, PRESCRIPTION_ID 1..500809, deterministic; exactly 23,197 of them
-- break at least one SILVER rule, so SILVER keeps 477,612.
--
-- SLOT = PRESCRIPTION_ID * 7919 mod 500809 is a permutation of 0..500808 (7919 is prime and does not
-- divide 500809), so defects are spread over the table yet their counts are exact:
--   SLOT      0 -  4,199  no patient id                                  4,200
--   SLOT  4,200 -  9,899  a patient id that does not exist (orphan)     5,700
--   SLOT  9,900 - 15,599  quantity 0 or negative                        5,700
--   SLOT 15,600 - 19,299  negative price                                3,700
--   SLOT 19,300 - 23,196  malformed or missing BNF code                 3,897
-- and some rows break two rules, as real feeds do (each counted once above):
--   SLOT  3,000 -  4,199  also quantity 0 or negative                   1,200
--   SLOT 12,000 - 12,599  also negative price                             600
--   SLOT 19,300 - 20,299  also negative price                           1,000
-- Orphan ids are 100,001..150,000: above every patient id, at base and (old_id * multiplier + copy)
-- after scaling.
--
-- H1..H9: the same integer mixing as the patients' seed, salted per attribute.
INSERT INTO {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS
  (PRESCRIPTION_ID, PATIENT_ID, PRESCRIBED_DATE, BNF_CODE, DRUG_NAME, QUANTITY, PRICE_GBP, PAYLOAD)
SELECT
  r.PRESCRIPTION_ID,
  r.PATIENT_ID,
  -- 2019-01-01 .. 2024-12-31.
  DATE '2019-01-01' + CAST(MOD(r.H2, 2192) AS INTEGER) AS PRESCRIBED_DATE,
  CASE
    WHEN r.SLOT >= 19300 AND r.SLOT < 23197 THEN
      CASE MOD(r.SLOT, 4)
        WHEN 0 THEN LOWER(d.BNF_CODE)
        WHEN 1 THEN SUBSTR(d.BNF_CODE, 1, 14)
        WHEN 2 THEN SUBSTR(d.BNF_CODE, 1, 7) || ' ' || SUBSTR(d.BNF_CODE, 8)
      END
    ELSE d.BNF_CODE
  END AS BNF_CODE,
  d.DRUG_NAME,
  CASE
    WHEN (r.SLOT >= 3000 AND r.SLOT < 4200) OR (r.SLOT >= 9900 AND r.SLOT < 15600) THEN
      CASE WHEN MOD(r.SLOT, 2) = 0 THEN 0 ELSE -d.PACK_SIZE END
    ELSE d.PACK_SIZE * r.PACKS
  END AS QUANTITY,
  CAST(
    CASE WHEN (r.SLOT >= 12000 AND r.SLOT < 12600) OR (r.SLOT >= 15600 AND r.SLOT < 20300) THEN -1 ELSE 1 END
    * d.PACK_PRICE_GBP * r.PACKS AS DECIMAL(10, 2)
  ) AS PRICE_GBP,
  PARSE_JSON(
    '{"prescriber":{"practice_code":"'
    || SUBSTR('ABCDEFGHJKLMNPY', 1 + CAST(MOD(r.H4, 15) AS INTEGER), 1)
    || CAST(10000 + MOD(r.H5, 90000) AS VARCHAR)
    || '","type":"GP"},"order":{"channel":"'
    || CASE WHEN MOD(r.H6, 10) < 6 THEN 'app' WHEN MOD(r.H6, 10) < 9 THEN 'web' ELSE 'nhs_app' END
    || '","repeat":' || CASE WHEN r.CHRONIC THEN 'true' ELSE 'false' END
    || '},"dosage":"' || d.DOSAGE
    || '","charge":{"exemption":"'
    || CASE
         WHEN MOD(r.H7, 100) < 45 THEN 'AGE_60_PLUS'
         WHEN MOD(r.H7, 100) < 70 THEN 'MEDICAL_EXEMPTION'
         WHEN MOD(r.H7, 100) < 80 THEN 'PREPAYMENT_CERTIFICATE'
         WHEN MOD(r.H7, 100) < 89 THEN 'LOW_INCOME'
         ELSE 'NOT_EXEMPT'
       END
    -- England's prescription charge per item, 2024/25.
    || '","amount_gbp":' || CASE WHEN MOD(r.H7, 100) < 89 THEN '0.00' ELSE '9.90' END
    || '}}'
  ) AS PAYLOAD
FROM (
  SELECT
    h.*,
    -- A patient's repeat prescriptions are mostly for the same drug, chosen by the patient id.
    CASE
      WHEN h.CHRONIC AND h.PATIENT_ID IS NOT NULL THEN
        MOD(MOD((h.PATIENT_ID * 16 + 9) * (h.PATIENT_ID * 16 + 9), 2147483647) * 48271 + h.PATIENT_ID * 16 + 9, 2147483647)
      ELSE h.H8
    END AS DRUG_PICK
  FROM (
    SELECT
      g.*,
      CASE
        WHEN g.SLOT < 4200 THEN NULL
        WHEN g.SLOT < 9900 THEN 100001 + MOD(g.H1, 50000)
        ELSE 1 + MOD(g.H1, 100000)
      END AS PATIENT_ID,
      MOD(g.H3, 10) < 6 AS CHRONIC,
      -- One pack most of the time, two or three for longer supplies.
      1 + CASE WHEN MOD(g.H9, 10) >= 7 THEN 1 ELSE 0 END + CASE WHEN MOD(g.H9, 10) >= 9 THEN 1 ELSE 0 END AS PACKS
    FROM (
      SELECT
        i.PRESCRIPTION_ID,
        MOD(i.PRESCRIPTION_ID * 7919, 500809) AS SLOT,
        MOD(MOD((i.PRESCRIPTION_ID * 16 + 1) * (i.PRESCRIPTION_ID * 16 + 1), 2147483647) * 48271 + i.PRESCRIPTION_ID * 16 + 1, 2147483647) AS H1,
        MOD(MOD((i.PRESCRIPTION_ID * 16 + 2) * (i.PRESCRIPTION_ID * 16 + 2), 2147483647) * 48271 + i.PRESCRIPTION_ID * 16 + 2, 2147483647) AS H2,
        MOD(MOD((i.PRESCRIPTION_ID * 16 + 3) * (i.PRESCRIPTION_ID * 16 + 3), 2147483647) * 48271 + i.PRESCRIPTION_ID * 16 + 3, 2147483647) AS H3,
        MOD(MOD((i.PRESCRIPTION_ID * 16 + 4) * (i.PRESCRIPTION_ID * 16 + 4), 2147483647) * 48271 + i.PRESCRIPTION_ID * 16 + 4, 2147483647) AS H4,
        MOD(MOD((i.PRESCRIPTION_ID * 16 + 5) * (i.PRESCRIPTION_ID * 16 + 5), 2147483647) * 48271 + i.PRESCRIPTION_ID * 16 + 5, 2147483647) AS H5,
        MOD(MOD((i.PRESCRIPTION_ID * 16 + 6) * (i.PRESCRIPTION_ID * 16 + 6), 2147483647) * 48271 + i.PRESCRIPTION_ID * 16 + 6, 2147483647) AS H6,
        MOD(MOD((i.PRESCRIPTION_ID * 16 + 7) * (i.PRESCRIPTION_ID * 16 + 7), 2147483647) * 48271 + i.PRESCRIPTION_ID * 16 + 7, 2147483647) AS H7,
        MOD(MOD((i.PRESCRIPTION_ID * 16 + 8) * (i.PRESCRIPTION_ID * 16 + 8), 2147483647) * 48271 + i.PRESCRIPTION_ID * 16 + 8, 2147483647) AS H8,
        MOD(MOD((i.PRESCRIPTION_ID * 16 + 10) * (i.PRESCRIPTION_ID * 16 + 10), 2147483647) * 48271 + i.PRESCRIPTION_ID * 16 + 10, 2147483647) AS H9
      FROM (
        SELECT CAST(1 + d1.N + 10 * d2.N + 100 * d3.N + 1000 * d4.N + 10000 * d5.N + 100000 * d6.N AS BIGINT) AS PRESCRIPTION_ID
        FROM {{ bronze_db }}.RAW_DATA.REF_DIGITS d1
        CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d2
        CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d3
        CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d4
        CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d5
        CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d6
      ) i
      WHERE i.PRESCRIPTION_ID <= 500809
    ) g
  ) h
) r
CROSS JOIN (SELECT MAX(CUM_TO) AS N FROM {{ bronze_db }}.RAW_DATA.REF_DRUGS) drugs
JOIN {{ bronze_db }}.RAW_DATA.REF_DRUGS d
  ON MOD(r.DRUG_PICK, drugs.N) >= d.CUM_FROM AND MOD(r.DRUG_PICK, drugs.N) < d.CUM_TO;
