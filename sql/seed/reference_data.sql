-- Reference data the seed draws from: BNF drugs with Drug Tariff-like pack prices, common UK names,
-- and postcode districts by region. Plain tables in BRONZE, rebuilt with the seed.
-- Every choice the seed makes is arithmetic on row numbers (no RANDOM, no engine-specific HASH),
-- so Snowflake and the local engine generate exactly the same rows.

-- Ten digits: cross joins of this table number rows gap-free (0..10^k - 1) on any engine.
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.REF_DIGITS AS
SELECT N FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d (N);

-- Copy numbers 0..9,999 for the scale step (its multiplier is at most 3,600): gap-free, unlike
-- SEQ4(), and the same for every table the scale writes, so foreign keys stay consistent.
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.REF_COPY_NUMBERS AS
SELECT CAST(d1.N + 10 * d2.N + 100 * d3.N + 1000 * d4.N AS INTEGER) AS COPY_NO
FROM {{ bronze_db }}.RAW_DATA.REF_DIGITS d1
CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d2
CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d3
CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d4;

CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.REF_FIRST_NAMES AS
SELECT CAST(IDX AS INTEGER) AS IDX, FIRST_NAME, SEX
FROM (VALUES
  (0, 'Olivia', 'F'), (1, 'Amelia', 'F'), (2, 'Isla', 'F'), (3, 'Ava', 'F'), (4, 'Mia', 'F'),
  (5, 'Grace', 'F'), (6, 'Sophia', 'F'), (7, 'Emily', 'F'), (8, 'Lily', 'F'), (9, 'Freya', 'F'),
  (10, 'Margaret', 'F'), (11, 'Susan', 'F'), (12, 'Patricia', 'F'), (13, 'Sarah', 'F'), (14, 'Helen', 'F'),
  (15, 'Karen', 'F'), (16, 'Janet', 'F'), (17, 'Claire', 'F'), (18, 'Emma', 'F'), (19, 'Rachel', 'F'),
  (20, 'Priya', 'F'), (21, 'Aisha', 'F'), (22, 'Fatima', 'F'), (23, 'Zara', 'F'), (24, 'Joan', 'F'),
  (25, 'Oliver', 'M'), (26, 'George', 'M'), (27, 'Noah', 'M'), (28, 'Arthur', 'M'), (29, 'Harry', 'M'),
  (30, 'Leo', 'M'), (31, 'Jack', 'M'), (32, 'Charlie', 'M'), (33, 'Thomas', 'M'), (34, 'Oscar', 'M'),
  (35, 'David', 'M'), (36, 'John', 'M'), (37, 'Peter', 'M'), (38, 'Michael', 'M'), (39, 'Andrew', 'M'),
  (40, 'Paul', 'M'), (41, 'Mark', 'M'), (42, 'Stephen', 'M'), (43, 'Richard', 'M'), (44, 'James', 'M'),
  (45, 'Mohammed', 'M'), (46, 'Rajesh', 'M'), (47, 'Tomasz', 'M'), (48, 'Kwame', 'M'), (49, 'Robert', 'M')
) AS v (IDX, FIRST_NAME, SEX);

CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.REF_LAST_NAMES AS
SELECT CAST(IDX AS INTEGER) AS IDX, LAST_NAME
FROM (VALUES
  (0, 'Smith'), (1, 'Jones'), (2, 'Williams'), (3, 'Taylor'), (4, 'Brown'), (5, 'Davies'),
  (6, 'Evans'), (7, 'Wilson'), (8, 'Thomas'), (9, 'Johnson'), (10, 'Roberts'), (11, 'Robinson'),
  (12, 'Thompson'), (13, 'Wright'), (14, 'Walker'), (15, 'White'), (16, 'Edwards'), (17, 'Hughes'),
  (18, 'Green'), (19, 'Hall'), (20, 'Lewis'), (21, 'Harris'), (22, 'Clarke'), (23, 'Patel'),
  (24, 'Jackson'), (25, 'Wood'), (26, 'Turner'), (27, 'Martin'), (28, 'Cooper'), (29, 'Hill'),
  (30, 'Ward'), (31, 'Morris'), (32, 'Moore'), (33, 'Clark'), (34, 'Lee'), (35, 'King'),
  (36, 'Baker'), (37, 'Harrison'), (38, 'Morgan'), (39, 'Allen'), (40, 'James'), (41, 'Scott'),
  (42, 'Phillips'), (43, 'Watson'), (44, 'Davis'), (45, 'Parker'), (46, 'Price'), (47, 'Bennett'),
  (48, 'Young'), (49, 'Griffiths'), (50, 'Mitchell'), (51, 'Kelly'), (52, 'Cook'), (53, 'Carter'),
  (54, 'Richardson'), (55, 'Bailey'), (56, 'Collins'), (57, 'Bell'), (58, 'Shah'), (59, 'Khan'),
  (60, 'Begum'), (61, 'Murphy'), (62, 'Nowak'), (63, 'Okafor')
) AS v (IDX, LAST_NAME);

-- Outward codes cover every UK shape (A9, A99, AA9, AA99, A9A, AA9A); WEIGHT skews towards the
-- regions an online pharmacy serves most. CUM_FROM/CUM_TO turn a number into a weighted choice.
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.REF_POSTCODE_DISTRICTS AS
SELECT
  OUTWARD,
  REGION,
  CAST(WEIGHT AS INTEGER) AS WEIGHT,
  CAST(SUM(WEIGHT) OVER (ORDER BY IDX) - WEIGHT AS INTEGER) AS CUM_FROM,
  CAST(SUM(WEIGHT) OVER (ORDER BY IDX) AS INTEGER) AS CUM_TO
FROM (VALUES
  (0, 'E1', 'London', 3), (1, 'E14', 'London', 3), (2, 'N7', 'London', 2), (3, 'NW3', 'London', 2),
  (4, 'SE15', 'London', 3), (5, 'SW1A', 'London', 1), (6, 'SW11', 'London', 3), (7, 'W1D', 'London', 1),
  (8, 'EC1A', 'London', 1), (9, 'WC2N', 'London', 1), (10, 'E17', 'London', 2), (11, 'SW19', 'London', 2),
  (12, 'RG1', 'South East', 3), (13, 'GU1', 'South East', 2), (14, 'OX4', 'South East', 2), (15, 'BN1', 'South East', 3),
  (16, 'ME7', 'South East', 2), (17, 'CT1', 'South East', 1), (18, 'MK9', 'South East', 2), (19, 'SO15', 'South East', 2),
  (20, 'M1', 'North West', 2), (21, 'M14', 'North West', 3), (22, 'L1', 'North West', 2), (23, 'L8', 'North West', 2),
  (24, 'WA1', 'North West', 1), (25, 'PR1', 'North West', 1), (26, 'SK1', 'North West', 1), (27, 'BB1', 'North West', 1),
  (28, 'CB1', 'East of England', 2), (29, 'NR1', 'East of England', 2), (30, 'IP1', 'East of England', 1), (31, 'CO1', 'East of England', 1),
  (32, 'LU1', 'East of England', 1), (33, 'CM1', 'East of England', 1),
  (34, 'B1', 'West Midlands', 2), (35, 'B15', 'West Midlands', 2), (36, 'CV1', 'West Midlands', 1), (37, 'WV1', 'West Midlands', 1),
  (38, 'ST1', 'West Midlands', 1), (39, 'WR1', 'West Midlands', 1),
  (40, 'BS1', 'South West', 2), (41, 'EX1', 'South West', 1), (42, 'PL1', 'South West', 1), (43, 'BA1', 'South West', 1),
  (44, 'TR1', 'South West', 1), (45, 'BH1', 'South West', 1),
  (46, 'LS1', 'Yorkshire and the Humber', 2), (47, 'LS6', 'Yorkshire and the Humber', 1), (48, 'S1', 'Yorkshire and the Humber', 2),
  (49, 'BD1', 'Yorkshire and the Humber', 1), (50, 'HU1', 'Yorkshire and the Humber', 1), (51, 'YO1', 'Yorkshire and the Humber', 1),
  (52, 'NG1', 'East Midlands', 2), (53, 'LE1', 'East Midlands', 2), (54, 'DE1', 'East Midlands', 1), (55, 'LN1', 'East Midlands', 1),
  (56, 'NE1', 'North East', 2), (57, 'SR1', 'North East', 1), (58, 'TS1', 'North East', 1), (59, 'DH1', 'North East', 1)
) AS v (IDX, OUTWARD, REGION, WEIGHT);

-- BNF code (15 characters: chapter, section, paragraph, sub-paragraph, chemical, product, strength
-- and form, equivalent), dm+d-style VMP name, pack size and net ingredient cost per pack in GBP.
-- WEIGHT is how often the drug is prescribed relative to the others.
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.REF_DRUGS AS
SELECT
  BNF_CODE,
  DRUG_NAME,
  CAST(PACK_SIZE AS INTEGER) AS PACK_SIZE,
  CAST(PACK_PRICE_GBP AS DECIMAL(10, 2)) AS PACK_PRICE_GBP,
  DOSAGE,
  CAST(WEIGHT AS INTEGER) AS WEIGHT,
  CAST(SUM(WEIGHT) OVER (ORDER BY IDX) - WEIGHT AS INTEGER) AS CUM_FROM,
  CAST(SUM(WEIGHT) OVER (ORDER BY IDX) AS INTEGER) AS CUM_TO
FROM (VALUES
  (0, '0212000B0AAABAB', 'Atorvastatin 20mg tablets', 28, 1.05, 'Take ONE tablet at night', 100),
  (1, '0103050P0AAAAAA', 'Omeprazole 20mg gastro-resistant capsules', 28, 1.15, 'Take ONE capsule daily before breakfast', 92),
  (2, '0206020A0AAAAAA', 'Amlodipine 5mg tablets', 28, 0.85, 'Take ONE tablet daily', 88),
  (3, '0602010V0AABWBW', 'Levothyroxine sodium 50microgram tablets', 28, 1.05, 'Take ONE tablet each morning', 80),
  (4, '0205051R0AAACAC', 'Ramipril 5mg capsules', 28, 1.25, 'Take ONE capsule daily', 76),
  (5, '0103050L0AAAAAA', 'Lansoprazole 30mg gastro-resistant capsules', 28, 1.36, 'Take ONE capsule daily', 70),
  (6, '0601022B0AAABAB', 'Metformin 500mg tablets', 56, 1.10, 'Take ONE tablet twice a day with food', 68),
  (7, '0403030Q0AAAAAA', 'Sertraline 50mg tablets', 28, 1.08, 'Take ONE tablet daily', 64),
  (8, '0204000H0AAAHAH', 'Bisoprolol fumarate 5mg tablets', 28, 0.80, 'Take ONE tablet each morning', 60),
  (9, '0212000Y0AAADAD', 'Simvastatin 40mg tablets', 28, 0.99, 'Take ONE tablet at night', 56),
  (10, '0205051L0AAAEAE', 'Lisinopril 10mg tablets', 28, 0.90, 'Take ONE tablet daily', 40),
  (11, '0403030D0AAAAAA', 'Citalopram 20mg tablets', 28, 0.95, 'Take ONE tablet daily', 36),
  (12, '0301011R0AAAPAP', 'Salbutamol 100micrograms/dose inhaler CFC free', 1, 1.50, 'Inhale TWO puffs when required', 44),
  (13, '0302000C0BRAAAF', 'Fostair 100micrograms/dose / 6micrograms/dose inhaler', 1, 29.32, 'Inhale ONE puff twice a day', 20),
  (14, '0407010H0AAAMAM', 'Paracetamol 500mg tablets', 32, 0.80, 'Take ONE or TWO tablets up to four times a day', 30),
  (15, '0501013B0AAABAB', 'Amoxicillin 500mg capsules', 21, 1.10, 'Take ONE capsule three times a day', 24),
  (16, '0407010F0AAAAAA', 'Co-codamol 30mg/500mg tablets', 100, 3.05, 'Take ONE or TWO tablets up to four times a day', 18),
  (17, '0202020L0AABDBD', 'Furosemide 40mg tablets', 28, 0.85, 'Take ONE tablet each morning', 22),
  (18, '0208020Z0AAABAB', 'Apixaban 5mg tablets', 56, 53.20, 'Take ONE tablet twice a day', 26),
  (19, '0208020Y0AAADAD', 'Rivaroxaban 20mg tablets', 28, 50.40, 'Take ONE tablet daily with food', 14),
  (20, '0601023X0AAAAAA', 'Sitagliptin 100mg tablets', 28, 33.26, 'Take ONE tablet daily', 12),
  (21, '0601023AQAAAAAA', 'Empagliflozin 10mg tablets', 28, 36.59, 'Take ONE tablet each morning', 12),
  (22, '0601012V0AAAEAE', 'Insulin glargine 100units/ml 3ml pre-filled pens', 5, 41.50, 'Inject as directed once daily', 10),
  (23, '1001030U0AAAGAG', 'Adalimumab 40mg/0.4ml solution for injection pre-filled pens', 2, 633.60, 'Inject 40mg every other week', 12),
  (24, '1001030C0AAAEAE', 'Etanercept 50mg/1ml solution for injection pre-filled pens', 4, 656.00, 'Inject 50mg once a week', 8),
  (25, '0403040X0AAAAAA', 'Mirtazapine 30mg tablets', 28, 1.30, 'Take ONE tablet at night', 16),
  (26, '0408010G0AAABAB', 'Gabapentin 300mg capsules', 100, 2.15, 'Take ONE capsule three times a day', 14),
  (27, '0408010AEAAABAB', 'Pregabalin 75mg capsules', 56, 2.04, 'Take ONE capsule twice a day', 12),
  (28, '0906040G0AAEDED', 'Colecalciferol 800unit capsules', 30, 2.75, 'Take ONE capsule daily', 14),
  (29, '0501030I0AAABAB', 'Doxycycline 100mg capsules', 8, 1.20, 'Take TWO on the first day then ONE daily', 8),
  (30, '0604011G0AAAAAA', 'Estradiol 1mg tablets', 84, 5.00, 'Take ONE tablet daily', 10),
  (31, '0407041T0AAACAC', 'Sumatriptan 50mg tablets', 6, 1.20, 'Take ONE tablet at the onset of migraine', 8),
  (32, '0704050Z0AAABAB', 'Sildenafil 50mg tablets', 8, 0.96, 'Take ONE tablet one hour before sexual activity', 8)
) AS v (IDX, BNF_CODE, DRUG_NAME, PACK_SIZE, PACK_PRICE_GBP, DOSAGE, WEIGHT);
