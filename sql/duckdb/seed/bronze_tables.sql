-- DuckDB twin of sql/seed/bronze_tables.sql: identical but for PAYLOAD, which is JSON here.
-- (DuckDB has a VARIANT type, but copying and reading it is several times slower than JSON.)
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS (
  PATIENT_ID     BIGINT NOT NULL,
  NHS_NUMBER     VARCHAR(10),
  FIRST_NAME     VARCHAR(40),
  LAST_NAME      VARCHAR(40),
  SEX            VARCHAR(1),
  DATE_OF_BIRTH  DATE,
  POSTCODE       VARCHAR(8),
  REGION         VARCHAR(40)
);

CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS (
  PRESCRIPTION_ID  BIGINT NOT NULL,
  PATIENT_ID       BIGINT,
  PRESCRIBED_DATE  DATE,
  BNF_CODE         VARCHAR(20),
  DRUG_NAME        VARCHAR(100),
  QUANTITY         INTEGER,
  PRICE_GBP        DECIMAL(10, 2),
  PAYLOAD          JSON
);
