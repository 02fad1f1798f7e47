-- The roles and databases of a grants PostgreSQL cluster. Compose runs it once, as the superuser, when the
-- data volume is new (docker-entrypoint-initdb.d); by hand: psql -v ON_ERROR_STOP=1 -f deploy/postgres-init.sql
--
-- One database per service (the services never share tables), owned by the service's owner role, which only
-- `grants migrate` uses (SERVICE_MIGRATION_DATABASE_URL). The service runs as its app role
-- (SERVICE_DATABASE_URL), which owns nothing: after each migration `grants migrate` grants it what the
-- service needs (cli/privileges.py); on the audit ledger that is SELECT and INSERT only. Keycloak gets a
-- database of its own.
--
-- Passwords come from the environment (psql's \getenv; letters and digits, they are used inside URLs):
--   APPLICATIONS_DB_OWNER_PASSWORD  APPLICATIONS_DB_APP_PASSWORD
--   DISBURSEMENT_DB_OWNER_PASSWORD  DISBURSEMENT_DB_APP_PASSWORD
--   AUDIT_DB_OWNER_PASSWORD         AUDIT_DB_APP_PASSWORD          KEYCLOAK_DB_PASSWORD
-- GRANTS_DB_NAME_PREFIX (optional, empty by default) prefixes every role and database name; the tests use it
-- to run this very file on a shared server.
\set ON_ERROR_STOP on
\getenv prefix GRANTS_DB_NAME_PREFIX
\if :{?prefix}
\else
  \set prefix ''
\endif
\getenv applications_owner APPLICATIONS_DB_OWNER_PASSWORD
\getenv applications_app APPLICATIONS_DB_APP_PASSWORD
\getenv disbursement_owner DISBURSEMENT_DB_OWNER_PASSWORD
\getenv disbursement_app DISBURSEMENT_DB_APP_PASSWORD
\getenv audit_owner AUDIT_DB_OWNER_PASSWORD
\getenv audit_app AUDIT_DB_APP_PASSWORD
\getenv keycloak KEYCLOAK_DB_PASSWORD

-- Refuse to start on a missing password, naming each one (an unset psql variable would not be substituted).
SELECT string_agg(name, ', ') AS unset FROM (VALUES
  ('APPLICATIONS_DB_OWNER_PASSWORD', :{?applications_owner}), ('APPLICATIONS_DB_APP_PASSWORD', :{?applications_app}),
  ('DISBURSEMENT_DB_OWNER_PASSWORD', :{?disbursement_owner}), ('DISBURSEMENT_DB_APP_PASSWORD', :{?disbursement_app}),
  ('AUDIT_DB_OWNER_PASSWORD', :{?audit_owner}), ('AUDIT_DB_APP_PASSWORD', :{?audit_app}),
  ('KEYCLOAK_DB_PASSWORD', :{?keycloak})) AS v(name, present) WHERE NOT present \gset
\if :{?unset}
  CREATE FUNCTION pg_temp.refuse(message text) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION '%', message; END $$;
  SELECT pg_temp.refuse('postgres-init.sql: set ' || :'unset');
\endif

-- \gexec runs each cell as a statement of its own, outside a transaction block, as CREATE DATABASE needs.
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'prefix' || service || '_owner', owner_password),
       format('CREATE ROLE %I LOGIN PASSWORD %L', :'prefix' || service || '_app', app_password),
       format('CREATE DATABASE %I OWNER %I', :'prefix' || service, :'prefix' || service || '_owner'),
       -- nobody else connects; the app role is granted CONNECT by `grants migrate`
       format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'prefix' || service)
FROM (VALUES ('applications', :'applications_owner', :'applications_app'),
             ('disbursement', :'disbursement_owner', :'disbursement_app'),
             ('audit', :'audit_owner', :'audit_app')) AS v(service, owner_password, app_password) \gexec

SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'prefix' || 'keycloak', :'keycloak'),
       format('CREATE DATABASE %I OWNER %I', :'prefix' || 'keycloak', :'prefix' || 'keycloak'),
       format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'prefix' || 'keycloak') \gexec
