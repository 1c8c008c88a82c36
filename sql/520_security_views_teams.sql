-- Teams and their members as a reader may see them (sql/650_ddl_security_views.sql builds them):
--   team: read on team; a team is its own owner in its BU (as the admin
--     functions scope it, sql/072); everyone enabled sees the teams they belong
--     to. A record's access teams are team rows too (team_type access, with
--     record_table, record_id, template).
--     is_default: the BU's default owner team (sql/074), whose members are
--     the BU's users; it is read like any other team.
--   team_member: the members of every visible team. It reads the team view
--     itself, so the two can never disagree.
create function rowscope._sv_defs_teams(p_api text, out view_name text, out body text) returns setof record
language sql immutable set search_path = pg_catalog, pg_temp as $$
  values
  ('team', $v$
    select t.id, t.name, t.business_unit_id, t.team_type,
           t.is_default,
           t.record_table, t.record_id, t.template
    from rowscope.team t
    where (select rowscope._sv_all('team'))
       or t.id = any ((select rowscope._sv_my_principals())::uuid[])
       or t.id = any ((select rowscope.scope_owners('team', 'read'))::uuid[])
       or t.business_unit_id = any ((select rowscope.scope_bus('team', 'read'))::uuid[])$v$),
  ('team_member', format($v$
    select m.team_id, m.user_id
    from rowscope.team_member m
    where m.team_id in (select t.id from %I.team t)$v$, p_api))
$$;
