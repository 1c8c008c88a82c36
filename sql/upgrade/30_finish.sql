-- Rules new since the old version that derive data from what was copied, run
-- once the model is set up (its class roles exist): every business unit's
-- default team and its members (sql/074_default_teams.sql).
select rowscope._ensure_default_teams();

-- Upgrade, step 4 (src/emit/upgrade.ts), after the model setup re-derived
-- every user's access classes under the new rules: the previous version's
-- leftovers go.
--
-- Access-class roles are cluster-wide and other databases of the cluster may
-- still use them, so the roles stay; but this database's users must not keep a
-- class the new version no longer names: every membership of one of them in a
-- class role of the previous catalog (rowscope_<table>_read_<class> before the
-- per-database roles of sql/050_access_classes.sql; the new catalog names only
-- rowscope_<tag>_... roles) is revoked, whoever granted it. From PostgreSQL 16
-- a membership belongs to its grantor (the previous version's definer, which
-- ran the class refresh): a plain REVOKE by the migrating role would only warn
-- and keep it, so each grant is revoked GRANTED BY its grantor. The old write
-- privileges (UPDATE/DELETE to rowscope_user) were revoked by step 1 and the
-- model setup granted them to the tables' write roles (_bind_table_roles).
--
-- Then the old schema is dropped. Anything outside it that still depends on it
-- (an application view or column default calling an old rowscope function)
-- would silently go with it, so the upgrade refuses instead, naming it.
do $finish$
declare
  v_old text := current_setting('rowscope.upgrade_schema');
  v_old_roles text[] := '{}';
  v_new_roles text[] := '{}';
  v_grant record;
  v_blocker text;
begin
  if exists (select from pg_attribute where attrelid = format('%I.secured_table', v_old)::regclass
                                          and attname = 'class_roles' and not attisdropped) then
    execute format('select coalesce(array_agg(distinct r.value), ''{}'') from %I.secured_table s, jsonb_each_text(s.class_roles) r', v_old)
      into v_old_roles;
  end if;
  -- and the names those versions gave them, should the catalog not say
  execute format($q$select %L::text[] || array(select format('rowscope_%%s_read_%%s', s.name, c)
                    from %I.secured_table s, unnest(array['org', 'bu', 'bu_shared', 'user', 'user_shared', 'none']) c)$q$,
                 v_old_roles, v_old)
    into v_old_roles;
  if exists (select from pg_attribute where attrelid = 'rowscope.secured_table'::regclass
                                          and attname = 'class_roles' and not attisdropped) then
    execute 'select coalesce(array_agg(distinct r.value), ''{}'') from rowscope.secured_table s, jsonb_each_text(s.class_roles) r'
      into v_new_roles;
  end if;
  for v_grant in
    select r.rolname as role, m.rolname as member, g.rolname as grantor
    from pg_auth_members a
    join pg_roles r on r.oid = a.roleid
    join pg_roles m on m.oid = a.member
    left join pg_roles g on g.oid = a.grantor
    where r.rolname = any (v_old_roles) and not r.rolname = any (v_new_roles)
      and m.rolname in (select u.db_role from rowscope.system_user u)
  loop
    if current_setting('server_version_num')::int >= 160000 and v_grant.grantor is not null then
      execute format('revoke %I from %I granted by %I', v_grant.role, v_grant.member, v_grant.grantor);
    else
      execute format('revoke %I from %I', v_grant.role, v_grant.member);
    end if;
  end loop;

  select pg_describe_object(dep.classid, dep.objid, dep.objsubid) || ' (uses ' || pg_describe_object(dep.refclassid, dep.refobjid, 0) || ')'
    into v_blocker
  from pg_depend dep
  where dep.deptype = 'n'
    and (dep.refobjid in (select p.oid from pg_proc p where p.pronamespace = v_old::regnamespace)
         or dep.refobjid in (select c.oid from pg_class c where c.relnamespace = v_old::regnamespace)
         or dep.refobjid in (select t.oid from pg_type t where t.typnamespace = v_old::regnamespace))
    and not exists (select from pg_proc p where dep.classid = 'pg_proc'::regclass and p.oid = dep.objid and p.pronamespace = v_old::regnamespace)
    and not exists (select from pg_class c where dep.classid = 'pg_class'::regclass and c.oid = dep.objid and c.relnamespace = v_old::regnamespace)
    and not exists (select from pg_type t where dep.classid = 'pg_type'::regclass and t.oid = dep.objid and t.typnamespace = v_old::regnamespace)
    and not exists (select from pg_constraint k join pg_class c on c.oid = k.conrelid
                    where dep.classid = 'pg_constraint'::regclass and k.oid = dep.objid and c.relnamespace = v_old::regnamespace)
    and not exists (select from pg_attrdef ad join pg_class c on c.oid = ad.adrelid
                    where dep.classid = 'pg_attrdef'::regclass and ad.oid = dep.objid and c.relnamespace = v_old::regnamespace)
    and not exists (select from pg_trigger g join pg_class c on c.oid = g.tgrelid
                    where dep.classid = 'pg_trigger'::regclass and g.oid = dep.objid and c.relnamespace = v_old::regnamespace)
    and not exists (select from pg_rewrite r join pg_class c on c.oid = r.ev_class
                    where dep.classid = 'pg_rewrite'::regclass and r.oid = dep.objid and c.relnamespace = v_old::regnamespace)
    and not exists (select from pg_policy p join pg_class c on c.oid = p.polrelid
                    where dep.classid = 'pg_policy'::regclass and p.oid = dep.objid and c.relnamespace = v_old::regnamespace)
  limit 1;
  if v_blocker is not null then
    raise exception 'rowscope: the upgrade cannot drop the previous rowscope schema (now %): % depends on it', v_old, v_blocker
      using errcode = '2BP01',
            hint = 'drop that object before upgrading and create it again afterwards against the new rowscope schema';
  end if;
  execute format('drop schema %I cascade', v_old);
end
$finish$;
