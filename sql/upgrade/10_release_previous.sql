-- Upgrade, step 1 (src/emit/upgrade.ts): take the previous rowscope version off
-- the database without touching data, then move its schema aside as
-- rowscope_upgrade_<n> (the setting rowscope.upgrade_schema) so that the new
-- core can be created next to it and its data copied across (step 2).
--
-- This runs against a core of unknown age, so it calls none of its functions:
-- it finds what the previous version put outside its own schema from the
-- catalog. The api views of the model tables, and every view, trigger, policy
-- and event trigger anywhere that depends on an object of the rowscope schema,
-- are dropped; the new model's setup builds its own. The data tables themselves
-- keep their rows, system columns and indexes.
do $release$
declare
  v_aside text := current_setting('rowscope.upgrade_schema');
  v_ns oid := to_regnamespace('rowscope');
  t record;
  d record;
begin
  if v_ns is null then
    raise exception 'rowscope: this database has no rowscope schema to upgrade'
      using errcode = '55000', hint = 'the migrations folder holds rowscope migrations this database never ran';
  end if;
  if to_regnamespace(v_aside) is not null then
    raise exception 'rowscope: schema % exists already (an earlier upgrade that did not finish?)', v_aside
      using errcode = '42P06';
  end if;

  -- the model tables: policies, rowscope triggers and api views, whatever
  -- their names were in that version
  for t in select s.data_schema, s.name, s.api_schema, to_regclass(format('%I.%I', s.data_schema, s.name)) as rel
           from rowscope.secured_table s loop
    execute format('drop view if exists %I.%I', t.api_schema, t.name);
    continue when t.rel is null;
    for d in select polname from pg_policy where polrelid = t.rel loop
      execute format('drop policy %I on %s', d.polname, t.rel);
    end loop;
    for d in select tgname from pg_trigger where tgrelid = t.rel and not tgisinternal and tgname like 'rowscope\_%' loop
      execute format('drop trigger %I on %s', d.tgname, t.rel);
    end loop;
    -- as a model change releases a table (sql/610_ddl_table.sql): a table
    -- the new model no longer names is left open, not locked; the setup secures
    -- the others again
    execute format('alter table %s disable row level security, no force row level security', t.rel);
    execute format('revoke all on %s from rowscope_user, rowscope_definer, rowscope_plan_bump', t.rel);
  end loop;

  -- what else depends on the schema from outside it: the audit and security
  -- views, field-write triggers on views, the login event trigger
  for d in
    select distinct dep.classid, dep.objid
    from pg_depend dep
    where dep.deptype = 'n'
      and dep.classid in ('pg_rewrite'::regclass, 'pg_trigger'::regclass, 'pg_policy'::regclass, 'pg_event_trigger'::regclass)
      and (dep.refobjid in (select p.oid from pg_proc p where p.pronamespace = v_ns)
           or dep.refobjid in (select c.oid from pg_class c where c.relnamespace = v_ns))
  loop
    if d.classid = 'pg_event_trigger'::regclass then
      -- (only a superuser could have created it, and only one can drop it)
      perform 1 from pg_event_trigger e where e.oid = d.objid;
      if found then
        execute (select format('drop event trigger %I', e.evtname) from pg_event_trigger e where e.oid = d.objid);
      end if;
    elsif d.classid = 'pg_trigger'::regclass then
      perform 1 from pg_trigger g join pg_class c on c.oid = g.tgrelid where g.oid = d.objid and c.relnamespace <> v_ns;
      if found then
        execute (select format('drop trigger %I on %s', g.tgname, g.tgrelid::regclass) from pg_trigger g where g.oid = d.objid);
      end if;
    elsif d.classid = 'pg_policy'::regclass then
      perform 1 from pg_policy p join pg_class c on c.oid = p.polrelid where p.oid = d.objid and c.relnamespace <> v_ns;
      if found then
        execute (select format('drop policy %I on %s', p.polname, p.polrelid::regclass) from pg_policy p where p.oid = d.objid);
      end if;
    else
      -- a view (its rewrite rule); views of the application on top of it make
      -- this fail, naming them, rather than disappear
      perform 1 from pg_rewrite r join pg_class c on c.oid = r.ev_class
       where r.oid = d.objid and c.relnamespace <> v_ns and c.relkind in ('v', 'm');
      if found then
        execute (select format('drop %s if exists %s', case c.relkind when 'm' then 'materialized view' else 'view' end, c.oid::regclass)
                 from pg_rewrite r join pg_class c on c.oid = r.ev_class where r.oid = d.objid);
      end if;
    end if;
  end loop;

  execute format('alter schema rowscope rename to %I', v_aside);
end
$release$;
