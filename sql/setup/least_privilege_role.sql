-- One-off, by an administrator: a role that can run the whole demo without ACCOUNTADMIN.
-- Not a runbook step. Paste it into a Snowsight worksheet (or `snow sql -f`) as a user with
-- SECURITYADMIN; edit the three names below: the role and warehouse if the runbook's params differ,
-- and the presenter's user, always.
--
-- The role creates the warehouse and the databases itself, so it owns them and everything in them:
-- ownership brings USAGE, OPERATE (manual refresh of dynamic tables, resize and resume of the
-- warehouse), MONITOR (refresh history) and the right to enable change tracking on its tables.
-- Dynamic tables refresh as their owner, so nothing else needs granting.
SET demo_role = 'PHARMACY2U_DEMO_ROLE';
SET demo_warehouse = 'PHARMACY2U_DEMO_WH';
-- The presenter's user (not the administrator running this), exactly as the "name" column of
-- SHOW USERS has it, inside double quotes so that e-mail style (SSO) names work as they are:
-- '"JANE.DOE@EXAMPLE.COM"', or '"JDOE"' for a plain name.
SET presenter = '"PRESENTER_USER_NAME"';

USE ROLE SECURITYADMIN;

CREATE ROLE IF NOT EXISTS IDENTIFIER($demo_role)
  COMMENT = 'Pharmacy2U medallion demo: owns its warehouse and databases, nothing else';

-- Hand the role to SYSADMIN, as Snowflake recommends for custom roles, so administrators can still
-- manage what it creates.
GRANT ROLE IDENTIFIER($demo_role) TO ROLE SYSADMIN;
GRANT ROLE IDENTIFIER($demo_role) TO USER IDENTIFIER($presenter);

-- The only account-level privileges it needs.
GRANT CREATE DATABASE ON ACCOUNT TO ROLE IDENTIFIER($demo_role);
GRANT CREATE WAREHOUSE ON ACCOUNT TO ROLE IDENTIFIER($demo_role);

-- Optional, for the credits figures: ACCOUNT_USAGE (QUERY_ATTRIBUTION_HISTORY,
-- WAREHOUSE_METERING_HISTORY). Without it the show labels its credit figures as estimates.
GRANT DATABASE ROLE SNOWFLAKE.USAGE_VIEWER TO ROLE IDENTIFIER($demo_role);

-- If the warehouse already exists (created earlier by another role), give it to the demo role.
-- Skip this if it does not exist yet: the role will create it.
-- GRANT OWNERSHIP ON WAREHOUSE IDENTIFIER($demo_warehouse) TO ROLE IDENTIFIER($demo_role) COPY CURRENT GRANTS;

-- Likewise for databases created earlier under ACCOUNTADMIN (repeat for SILVER and GOLD), and for
-- the PHARMACY2U_*_BACKUP databases: the backups step replaces them (CREATE OR REPLACE DATABASE …
-- CLONE), which needs OWNERSHIP of the old ones. Backups the role made itself are its own already;
-- ones left by an ACCOUNTADMIN run must be handed over (or dropped) once:
-- GRANT OWNERSHIP ON DATABASE PHARMACY2U_BRONZE_BACKUP TO ROLE IDENTIFIER($demo_role) COPY CURRENT GRANTS;
-- GRANT OWNERSHIP ON DATABASE PHARMACY2U_BRONZE TO ROLE IDENTIFIER($demo_role) COPY CURRENT GRANTS;
-- GRANT OWNERSHIP ON ALL SCHEMAS IN DATABASE PHARMACY2U_BRONZE TO ROLE IDENTIFIER($demo_role) COPY CURRENT GRANTS;
-- GRANT OWNERSHIP ON ALL TABLES IN DATABASE PHARMACY2U_BRONZE TO ROLE IDENTIFIER($demo_role) COPY CURRENT GRANTS;
-- GRANT OWNERSHIP ON ALL VIEWS IN DATABASE PHARMACY2U_BRONZE TO ROLE IDENTIFIER($demo_role) COPY CURRENT GRANTS;
-- GRANT OWNERSHIP ON ALL DYNAMIC TABLES IN DATABASE PHARMACY2U_SILVER TO ROLE IDENTIFIER($demo_role) COPY CURRENT GRANTS;

-- Then connect with role = PHARMACY2U_DEMO_ROLE (connections.toml) and run the demo as usual.
