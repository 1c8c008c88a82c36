-- The rowscope schema holds the catalog (security data) and the functions.
create schema if not exists rowscope;
alter schema rowscope owner to rowscope_definer;
revoke all on schema rowscope from public;
grant usage on schema rowscope to rowscope_user, rowscope_owner;
-- PostgreSQL 15+ no longer lets PUBLIC create in public, but a database upgraded
-- from older versions may: user roles must never create objects anywhere.
revoke create on schema public from public;
