-- Security changes are audited too (docs/security-model.md "Audit"): shares, role
-- assignments, team membership, users, business units and teams. Triggers on
-- the catalog tables, so every path (the admin API, cascades, the deployment
-- administrator's own SQL) is logged. Each row names the principal or record
-- affected in record_id:
--
--   table_name         record_id          actions
--   <the record's table> the shared record share, modify_share, unshare
--   role_assignment    the principal      assign_role, update_role_assignment, remove_role
--   team_member        the user           add_team_member, update_team_member, remove_team_member
--   system_user        the user           create_user, disable_user, enable_user, move_user,
--                                         set_access_mode, set_manager, set_position,
--                                         update_user, delete_user (and login, 250_audit_logins.sql)
--   business_unit      the business unit  create_business_unit, update_business_unit, delete_business_unit
--   team               the team           create_team, update_team, delete_team
--   field_profile_member the principal    add_profile_member, update_profile_member, remove_profile_member
--   <the record's table> the record        share_field, modify_field_share, unshare_field
-- (the last two in 921_audit_field_security.sql: those tables are made after this file)
--
-- Shares are logged under the record's own table so that a record's history
-- (api.audit_log where table_name = 'account' and record_id = ...) shows who it
-- was shared with, next to its changes and assigns.

-- Columns that say nothing about the change (identity columns, timestamps the
-- log row carries anyway).
create function rowscope._audit_security_noise() returns text[]
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select array['id', 'created_on', 'assigned_on', 'shared_on', 'added_on']
$$;

-- A user update gets the name of what the admin API did; several changes at
-- once (direct SQL) are named after the most significant one.
create function rowscope._audit_user_action(p_changes jsonb) returns text
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select case
    when p_changes ? 'is_disabled' then
      case when p_changes #>> '{is_disabled,new}' = 'true' then 'disable_user' else 'enable_user' end
    when p_changes ? 'business_unit_id' then 'move_user'
    when p_changes ? 'access_mode' then 'set_access_mode'
    when p_changes ? 'manager_id' then 'set_manager'
    when p_changes ? 'position_id' then 'set_position'
    else 'update_user' end
$$;

-- Arguments: the table_name to log ('*': the row's own table_name column, for
-- shares), the column holding record_id, and the insert / update / delete actions.
create function rowscope._tg_audit_security() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_old jsonb := coalesce(to_jsonb(old), '{}');
  v_new jsonb := coalesce(to_jsonb(new), '{}');
  v_row jsonb := case when tg_op = 'DELETE' then v_old else v_new end;
  v_table text := case when tg_argv[0] = '*' then v_row ->> 'table_name' else tg_argv[0] end;
  v_action text := tg_argv[case tg_op when 'INSERT' then 2 when 'UPDATE' then 3 else 4 end];
  v_changes jsonb;
begin
  v_changes := rowscope._audit_diff(v_old, v_new,
    array(select k from jsonb_object_keys(v_row) k where k <> all (rowscope._audit_security_noise())));
  if v_changes = '{}' then
    return null;
  end if;
  if tg_table_name = 'role_assignment' then
    -- name the role: its id means nothing to a reader, and the role may be gone later
    v_changes := v_changes || jsonb_build_object('role', jsonb_build_object(
      'old', (select r.name from rowscope.security_role r where r.id = (v_old ->> 'role_id')::uuid),
      'new', (select r.name from rowscope.security_role r where r.id = (v_new ->> 'role_id')::uuid)));
  elsif tg_table_name = 'field_profile_member' then
    v_changes := v_changes || jsonb_build_object('profile', jsonb_build_object(
      'old', (select p.name from rowscope.field_security_profile p where p.id = (v_old ->> 'profile_id')::uuid),
      'new', (select p.name from rowscope.field_security_profile p where p.id = (v_new ->> 'profile_id')::uuid)));
  elsif tg_table_name = 'system_user' and tg_op = 'UPDATE' then
    v_action := rowscope._audit_user_action(v_changes);
  end if;
  perform rowscope._audit_append(v_table, (v_row ->> tg_argv[1])::uuid, v_action, v_changes);
  return null;
end
$$;

create trigger rowscope_audit after insert or update or delete on rowscope.record_share
  for each row execute function rowscope._tg_audit_security('*', 'record_id', 'share', 'modify_share', 'unshare');
create trigger rowscope_audit after insert or update or delete on rowscope.role_assignment
  for each row execute function rowscope._tg_audit_security('role_assignment', 'principal_id',
                                                             'assign_role', 'update_role_assignment', 'remove_role');
create trigger rowscope_audit after insert or update or delete on rowscope.team_member
  for each row execute function rowscope._tg_audit_security('team_member', 'user_id',
                                                             'add_team_member', 'update_team_member', 'remove_team_member');
create trigger rowscope_audit after insert or update or delete on rowscope.system_user
  for each row execute function rowscope._tg_audit_security('system_user', 'id', 'create_user', 'update_user', 'delete_user');
create trigger rowscope_audit after insert or update or delete on rowscope.business_unit
  for each row execute function rowscope._tg_audit_security('business_unit', 'id',
                                                             'create_business_unit', 'update_business_unit', 'delete_business_unit');
create trigger rowscope_audit after insert or update or delete on rowscope.team
  for each row execute function rowscope._tg_audit_security('team', 'id', 'create_team', 'update_team', 'delete_team');
