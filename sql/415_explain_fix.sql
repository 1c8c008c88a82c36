-- The fix of a denial (explain_access's `fix:` line, rowscope.explain_fix): the
-- steps that together make the right usable, each as words and as the SQL
-- statement the deployment administrator runs (issue 17 item 8: a fix must work,
-- and must not offer what the explanation itself says cannot count, like a
-- share with a user who holds no privilege). Steps only add: enable the user,
-- widen the access mode, assign a role of the model, share the record. A right
-- that needs read on the record (_needs_read) gets read's steps first.
-- test/integration/explain/fix-property.test.ts applies the steps to random
-- denials and checks the right is then held.

-- Whether a grant of the given depth held in BU p_bu covers a record of owning BU p_owning_bu.
create function rowscope._fix_bu_covers(p_depth smallint, p_bu uuid, p_owning_bu uuid) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select p_depth = 4
      or (p_depth = 2 and p_owning_bu = p_bu)
      or (p_depth = 3 and exists (select from rowscope.bu_closure c where c.ancestor_id = p_bu and c.descendant_id = p_owning_bu))
$$;

-- Whether the record is shared with the user (or a team of theirs) with the
-- right: such a share counts once the user holds the privilege at user depth.
create function rowscope._fix_shared(p_user uuid, p_table text, p_right text, p_record uuid) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select exists (
    select from rowscope.record_share s
    where s.table_name = p_table and s.record_id = p_record and p_right = any (s.rights)
      and s.principal_id = any (array[p_user] || rowscope._all_teams(p_user)))
$$;

-- Whether the hierarchy reaches the record for the right at the given depth (sql/035).
create function rowscope._fix_hierarchy(p_user uuid, p_table text, p_right text, p_record uuid,
                                        p_owner uuid, p_depth smallint) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(p_owner = any (rowscope._hierarchy_owners(v.reports)), false)
      or p_record = any (rowscope._hierarchy_shared(v.reports, p_table, p_right))
  from (select rowscope._hierarchy_reports_at(p_user, p_table, p_right, p_depth) as reports) v
$$;

-- The steps, in order, that make p_right usable for p_user on the record.
create function rowscope._fix_steps(p_user uuid, p_table text, p_right text, p_record uuid,
                                    p_owner uuid, p_owning_bu uuid)
returns table (step int, description text, statement text)
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  u rowscope.system_user;
  st rowscope.secured_table := rowscope._model_table(p_table);
  v_modern boolean := rowscope._setting_bool('ownershipAcrossBusinessUnits', false);
  v_right text;
  v_depth smallint;
  c record;
  v_assigned text[] := '{}';
  v_owned boolean;
  v_share text[] := '{}';  -- rights to share, in one grant_access after the roles
  -- role definitions are security data (api.security_role): a caller who may not
  -- read them is told the privilege and depth a role needs, not which role has it
  v_roles_visible boolean := rowscope._is_deployment_admin()
    or coalesce(rowscope._max_depth(rowscope._current_user_id(), 'security_role', 'read'), 0) > 0;
begin
  select * into u from rowscope.system_user s where s.id = p_user;
  -- any role held directly covers at user depth what the user or their owner teams own
  v_owned := p_owner is not null and (p_owner = p_user or p_owner = any (rowscope._owner_teams(p_user)));
  step := 0;
  if u.is_disabled then
    step := step + 1;
    description := format('enable %s (rowscope.enable_user)', u.db_role);
    statement := format('select rowscope.enable_user(%L)', u.id);
    return next;
  end if;
  if u.access_mode = 'administrative' or (u.access_mode = 'read' and p_right <> 'read') then
    step := step + 1;
    description := format('set the access mode of %s to read_write (rowscope.set_access_mode)', u.db_role);
    statement := format('select rowscope.set_access_mode(%L, %L)', u.id, 'read_write');
    return next;
  end if;
  foreach v_right in array case when rowscope._needs_read(p_right) then array['read', p_right] else array[p_right] end loop
    -- already reached once the user is enabled and the mode allows it
    select coalesce(max(g.depth), 0)::smallint into v_depth from rowscope._role_grants(p_user, p_table, v_right) g;
    continue when exists (select from rowscope._role_grants(p_user, p_table, v_right) g
                          where rowscope._fix_bu_covers(g.depth, g.business_unit_id, p_owning_bu) or p_owner = any (g.owners))
      or (v_depth > 0 and (rowscope._fix_shared(p_user, p_table, v_right, p_record)
                           or rowscope._fix_hierarchy(p_user, p_table, v_right, p_record, p_owner, v_depth)));
    if v_depth > 0 and st.ownership = 'user' then
      -- the privilege is there, the record is out of its scope: a share reaches it
      v_share := v_share || v_right;
      continue;
    end if;
    -- no privilege at all: a role of the model that holds it: the narrowest one
    -- with which an existing share or the hierarchy reaches the record, else the
    -- narrowest one, with a share of the record unless its scope covers it
    -- (assigned in the record's BU where the model allows roles in other BUs);
    -- among equals the role that grants least
    select r.name as role_name, p.depth,
           case when rowscope._fix_bu_covers(p.depth, u.business_unit_id, p_owning_bu) then null
                when v_modern and p.depth in (2, 3) and p_owning_bu is not null then p_owning_bu end as in_bu,
           v_owned or rowscope._fix_bu_covers(p.depth, u.business_unit_id, p_owning_bu)
             or (v_modern and p.depth in (2, 3) and p_owning_bu is not null) as covers
      into c
      from rowscope.security_role r
      join rowscope.role_privilege p on p.role_id = r.id and p.table_name = p_table and p.privilege = v_right and p.depth > 0
     where not r.is_builtin
     -- where a share or the hierarchy already reaches the record, user depth is enough
     order by case when p.depth > 0 and (rowscope._fix_shared(p_user, p_table, v_right, p_record)
                                         or rowscope._fix_hierarchy(p_user, p_table, v_right, p_record, p_owner, p.depth))
                   then 0 else 1 end,
              p.depth,
              case when v_owned or rowscope._fix_bu_covers(p.depth, u.business_unit_id, p_owning_bu)
                        or (v_modern and p.depth in (2, 3) and p_owning_bu is not null) then 0 else 1 end,
              (select count(*) from rowscope.role_privilege q where q.role_id = r.id), r.name
     limit 1;
    if c.role_name is null or (not c.covers and st.ownership <> 'user') then
      step := step + 1;
      description := format('give %s the role system_administrator (rowscope.assign_role): no role of the model grants %s on %s%s; or add one to the model',
                            u.db_role, v_right, p_table, case when st.ownership = 'user' then '' else ' at organization depth' end);
      statement := format('select rowscope.assign_role(%L, %L)', u.id, 'system_administrator');
      return next;
      return; -- System Administrator holds every right
    end if;
    -- read's step may have assigned this role already (then only the share below remains)
    if format('%s %s', c.role_name, c.in_bu) = any (v_assigned) then
      if not c.covers and not rowscope._fix_shared(p_user, p_table, v_right, p_record)
         and not rowscope._fix_hierarchy(p_user, p_table, v_right, p_record, p_owner, c.depth) then
        v_share := v_share || v_right;
      end if;
      continue;
    end if;
    v_assigned := v_assigned || format('%s %s', c.role_name, c.in_bu);
    step := step + 1;
    description := format('give %s %s (%s on %s at %s depth%s) (rowscope.assign_role)', u.db_role,
                          case when v_roles_visible then 'the role ' || c.role_name else 'a role' end, v_right, p_table,
                          rowscope._depth_name(c.depth), case when c.in_bu is null then '' else ' in BU ' || rowscope._bu_label(c.in_bu) end);
    statement := case when v_roles_visible then format('select rowscope.assign_role(%L, %L, %L)', u.id, c.role_name, c.in_bu) end;
    if not c.covers and rowscope._fix_shared(p_user, p_table, v_right, p_record) then
      description := description || ', with which the existing share counts';
    elsif not c.covers and rowscope._fix_hierarchy(p_user, p_table, v_right, p_record, p_owner, c.depth) then
      description := description || ', with which the hierarchy reaches the record';
    end if;
    return next;
    if not c.covers and not rowscope._fix_shared(p_user, p_table, v_right, p_record)
       and not rowscope._fix_hierarchy(p_user, p_table, v_right, p_record, p_owner, c.depth) then
      v_share := v_share || v_right;
    end if;
  end loop;
  if cardinality(v_share) > 0 then
    step := step + 1;
    description := format('share the record with %s (%s) (rowscope.grant_access)', u.db_role, array_to_string(v_share, ', '));
    statement := format('select rowscope.grant_access(%L, %L, %L, %L::text[])', p_table, p_record, u.id, v_share);
    return next;
  end if;
end
$$;

-- The fix of one denied right as explain_access words it: one `fix:` line.
create function rowscope._fix_line(p_user uuid, p_table text, p_right text, p_record uuid,
                                   p_owner uuid, p_owning_bu uuid) returns text
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select 'fix: ' || string_agg(f.description, ', and ' order by f.step)
  from rowscope._fix_steps(p_user, p_table, p_right, p_record, p_owner, p_owning_bu) f
$$;

-- The steps of explain_access's fix for one right, as statements the deployment
-- administrator can run in order (no rows: the right is already held and usable;
-- a null statement: a role the caller may not see, sql/415 _fix_steps).
-- Same checks as explain_access: the subject (sql/400 _subject_user) and a
-- record the caller can read.
create function rowscope.explain_fix(table_name text, record_id uuid, access_right text, user_id uuid default null)
returns table (step int, description text, statement text)
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_variable
declare
  v_subject uuid := rowscope._subject_user(user_id);
  f record := rowscope._readable_record(table_name, record_id);
begin
  perform rowscope._check_rights(array[access_right], 'access_right');
  if rowscope._usable_right(v_subject, table_name, access_right, record_id, f.owner_id, f.owning_business_unit) then
    return;
  end if;
  return query select * from rowscope._fix_steps(v_subject, table_name, access_right, record_id, f.owner_id, f.owning_business_unit);
end
$$;

-- Item 9 of issue 17: a right is usable when held (_has_right) and, for a right
-- that needs read, read is held too. check_access and explain_access report this.
create function rowscope._usable_right(p_user uuid, p_table text, p_right text, p_record uuid,
                                       p_owner uuid, p_owning_bu uuid) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._has_right(p_user, p_table, p_right, p_record, p_owner, p_owning_bu)
     and (not rowscope._needs_read(p_right) or rowscope._has_right(p_user, p_table, 'read', p_record, p_owner, p_owning_bu))
$$;

-- A right held (_has_right) that cannot be used because the user cannot read
-- the record (sql/415 _usable_right): what gives it, why it does not count, and
-- read's fix.
create function rowscope._unusable_reasons(p_user uuid, p_table text, p_right text, p_record uuid,
                                           p_owner uuid, p_owning_bu uuid) returns text[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select array[format('%s needs read on the record: %s holds %s here (%s) but cannot read the record',
                      p_right, rowscope._user_label(p_user), p_right,
                      coalesce(nullif(array_to_string(rowscope._grant_paths(p_user, p_table, p_right, p_record, p_owner, p_owning_bu), '; '), ''), 'granted')),
               rowscope._missing_reason(p_user, p_table, 'read', p_owner, p_owning_bu),
               coalesce(rowscope._fix_line(p_user, p_table, p_right, p_record, p_owner, p_owning_bu),
                        'fix: none found; report this explanation as a rowscope bug')]
$$;
