-- One database per layer. IF NOT EXISTS: running setup again never touches existing data.
CREATE DATABASE IF NOT EXISTS {{ bronze_db }} COMMENT = 'BRONZE: raw data as it arrived';
CREATE SCHEMA IF NOT EXISTS {{ bronze_db }}.RAW_DATA;

CREATE DATABASE IF NOT EXISTS {{ silver_db }} COMMENT = 'SILVER: governed data (dynamic tables)';
CREATE SCHEMA IF NOT EXISTS {{ silver_db }}.GOVERNED_DATA;

CREATE DATABASE IF NOT EXISTS {{ gold_db }} COMMENT = 'GOLD: analytics views';
CREATE SCHEMA IF NOT EXISTS {{ gold_db }}.ANALYTICS;
