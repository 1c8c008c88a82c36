-- Everything in the rowscope schema is owned by rowscope_definer; nothing is
-- executable or readable by PUBLIC; rowscope_user may call the public API only.
do $own$
declare
  f record;
  t record;
begin
  for f in
    select p.oid::regprocedure as sig from pg_proc p
    where p.pronamespace = 'rowscope'::regnamespace
  loop
    execute format('alter function %s owner to rowscope_definer', f.sig);
    execute format('revoke all on function %s from public', f.sig);
  end loop;
  for t in
    select c.oid::regclass as rel from pg_class c
    where c.relnamespace = 'rowscope'::regnamespace and c.relkind in ('r', 'v')
  loop
    execute format('alter table %s owner to rowscope_definer', t.rel);
    execute format('revoke all on %s from public', t.rel);
  end loop;
end
$own$;

-- The public SQL API (SPEC §4) and the access-set functions the policies call.
grant execute on function
  rowscope.root_business_unit(),
  rowscope.create_business_unit(text, uuid),
  rowscope.create_user(text, uuid, uuid, text),
  rowscope._create_user(text, uuid, uuid, text),
  rowscope.set_manager(uuid, uuid),
  rowscope.move_user(uuid, uuid),
  rowscope.set_access_mode(uuid, text),
  rowscope.disable_user(uuid),
  rowscope.enable_user(uuid),
  rowscope.create_team(text, uuid, text),
  rowscope.add_team_member(uuid, uuid),
  rowscope.remove_team_member(uuid, uuid),
  rowscope.assign_role(uuid, text, uuid, text),
  rowscope.remove_role(uuid, text, uuid),
  rowscope.whoami(),
  rowscope.has_privilege(text),
  rowscope.scope_org(text, text),
  rowscope.scope_owners(text, text),
  rowscope.scope_bus(text, text),
  rowscope.scope_records(text, text),
  rowscope._class_guard(text, text),
  rowscope._require_table_update(text, text, uuid)
to rowscope_user;
