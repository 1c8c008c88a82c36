-- Stage 2 of compilation (docs/architecture.md).
--
-- (Re)creates the security data views in the model's api schema; called by the
-- generated migration after the catalog sync (src/compile/security-views.ts).
--
-- Style: security_barrier views owned by rowscope_definer (which owns the
-- catalog tables), not RLS on the catalog tables. The views rename and derive
-- columns (role names, depth names, the effective BU of an assignment), so they
-- are needed either way; RLS would add policies on tables every
-- security-definer helper reads as their owner, and SELECT grants to users on
-- the catalog's raw columns (assigned_on, added_by, ...). Measured on
-- PostgreSQL 18 (embedded, a shared 2-core machine, so +-30%): the
-- security_views fixture plus 100 BUs, 5,000 users, 2,000 teams and 20,000
-- shares; median of 20 runs in one transaction (ms), each style with the same
-- predicate over the same InitPlan sets:
--   reader / query                                 barrier view   RLS + invoker view
--   bu_admin  count(*) system_user                      6.1             5.1
--   env (org) count(*) system_user                      4.1             4.1
--   env (org) system_user order by db_role limit 50    14.4            10.5
--   plain (share at user depth) count(*) record_share  22.5            27.3
--   manager (share at org depth) count(*) record_share 27.4            30.1
-- Within the noise of each other: the plans are the same scan with the same
-- filter. The first cut asked per share row whether the reader may share its
-- record (a dynamic lookup of the record): 2,700 ms for `plain` in either
-- style; rowscope._sv_shareable (sql/500) made it one set per statement. The
-- views win on surface (no grants on the catalog tables), not on speed.
--
-- The security barrier keeps a reader's own predicates (a leaky function in a
-- WHERE) from seeing rows the filter removes. The views are read-only for
-- users: they hold SELECT only, and changes go through the admin functions.
-- An INSTEAD OF trigger that refuses makes them non-auto-updatable, so a write
-- fails on the missing privilege (42501) rather than on a derived column
-- (0A000), and also fails for the deployment administrator.

create function rowscope._tg_security_view_read_only() returns trigger
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  raise exception 'rowscope: %.% is read-only; change security data through the rowscope admin functions (create_user, assign_role, grant_access, ...)',
    tg_table_schema, tg_table_name
    using errcode = '42501';
end
$$;

create function rowscope._security_view_names() returns text[]
language sql immutable set search_path = pg_catalog, pg_temp as $$
  -- in dependency order: later views read earlier ones
  select array['business_unit', 'system_user', 'position', 'team', 'team_member',
               'security_role', 'role_privilege', 'role_misc_privilege', 'role_assignment',
               'record_share', 'field_share',
               'field_security_profile', 'field_permission', 'field_profile_member']
$$;

create function rowscope._build_security_views(p_api_schema text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v record;
  v_clash text;
begin
  select st.name into v_clash from rowscope.secured_table st
  where st.api_schema = p_api_schema and st.name = any (rowscope._security_view_names()) limit 1;
  if found then
    raise exception 'rowscope: %.% is a security data view; a model table cannot be named %', p_api_schema, v_clash, v_clash
      using errcode = '42P07';
  end if;
  execute format('create schema if not exists %I', p_api_schema);
  perform rowscope._release_security_views(p_api_schema);
  -- the definer owns the views and reads the catalog for them
  execute format('grant usage, create on schema %I to rowscope_definer', p_api_schema);
  execute format('grant usage on schema %I to rowscope_user', p_api_schema);
  for v in
    select d.view_name, d.body from (
      select * from rowscope._sv_defs_org(p_api_schema)
      union all select * from rowscope._sv_defs_teams(p_api_schema)
      union all select * from rowscope._sv_defs_roles(p_api_schema)
      union all select * from rowscope._sv_defs_shares(p_api_schema)
      union all select * from rowscope._sv_defs_fields(p_api_schema)) d
    order by array_position(rowscope._security_view_names(), d.view_name)
  loop
    execute format('create view %I.%I with (security_barrier = true) as %s', p_api_schema, v.view_name, v.body);
    execute format('alter view %I.%I owner to rowscope_definer', p_api_schema, v.view_name);
    execute format('revoke all on %I.%I from public', p_api_schema, v.view_name);
    execute format('grant select on %I.%I to rowscope_user', p_api_schema, v.view_name);
    execute format('create trigger read_only instead of insert or update or delete on %I.%I '
                   'for each row execute function rowscope._tg_security_view_read_only()', p_api_schema, v.view_name);
  end loop;
end
$$;

create function rowscope._release_security_views(p_api_schema text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v text;
begin
  if to_regnamespace(p_api_schema) is null then
    return;
  end if;
  foreach v in array (select array_agg(n order by o desc) from unnest(rowscope._security_view_names()) with ordinality x(n, o)) loop
    -- only our own views: a model table's view of that name is refused above
    if exists (select from pg_class c where c.relname = v and c.relnamespace = to_regnamespace(p_api_schema)
               and c.relkind = 'v' and c.relowner = 'rowscope_definer'::regrole) then
      execute format('drop view %I.%I', p_api_schema, v);
    end if;
  end loop;
end
$$;
