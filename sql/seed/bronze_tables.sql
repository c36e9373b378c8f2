-- BRONZE holds the data as it arrived: no constraints beyond types, defects included.
-- PAYLOAD is the order as the pharmacy's app sent it (semi-structured); SILVER flattens it.
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
  PAYLOAD          VARIANT
);
