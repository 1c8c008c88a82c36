-- Relationship rules (docs/security-model.md): Append / AppendTo on every lookup the model
-- declares, share inheritance and reparenting, assign and delete cascades.

-- Setting a lookup on X to point at Y needs append on X and append_to on Y.
-- X is given by its (new) owner and owning BU, and its id when it exists already.
create function rowscope._check_lookups(p_me uuid, p_table text, p_old jsonb, p_new jsonb,
                                        p_record uuid, p_owner uuid, p_owning_bu uuid) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  rel record;
  v_target uuid;
  y record;
begin
  for rel in select * from rowscope.relationship where table_name = p_table order by column_name loop
    v_target := (p_new ->> rel.column_name)::uuid;
    continue when v_target is null or v_target is not distinct from (p_old ->> rel.column_name)::uuid;
    if not rowscope._has_right(p_me, p_table, 'append', p_record, p_owner, p_owning_bu) then
      perform rowscope._refuse(p_me, 'append', p_table, coalesce(p_record::text, '(new record)'),
        format('setting %s needs append on %s; %s', rel.column_name, p_table,
               rowscope._missing_reason(p_me, p_table, 'append', p_owner, p_owning_bu)));
    end if;
    select * into y from rowscope._record_facts(rel.references_table, v_target);
    if not y.present or not (rowscope._has_right(p_me, rel.references_table, 'append_to', v_target, y.owner_id, y.owning_business_unit)
                             or rowscope._has_right(p_me, rel.references_table, 'read', v_target, y.owner_id, y.owning_business_unit)) then
      -- a record the user cannot see is reported like a missing one
      perform rowscope._bad_argument(format('%s: no such record %s in %s', rel.column_name, v_target, rel.references_table));
    end if;
    if not rowscope._has_right(p_me, rel.references_table, 'append_to', v_target, y.owner_id, y.owning_business_unit) then
      perform rowscope._refuse(p_me, 'append_to', rel.references_table, v_target::text,
        rowscope._missing_reason(p_me, rel.references_table, 'append_to', y.owner_id, y.owning_business_unit));
    end if;
  end loop;
end
$$;

-- A child record under a (new) parent takes the parent's cascading shares;
-- those inherited from its previous parent go (reparent).
create function rowscope._inherit_parent_shares(p_table text, p_record uuid, p_owner uuid, p_old jsonb, p_new jsonb, p_is_insert boolean) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  rel record;
  v_old uuid;
  v_new uuid;
  v_mode text;
  s record;
  v_parent_owner uuid;
begin
  for rel in select * from rowscope.relationship where table_name = p_table order by column_name loop
    v_old := (p_old ->> rel.column_name)::uuid;
    v_new := (p_new ->> rel.column_name)::uuid;
    continue when v_old is not distinct from v_new;
    v_mode := case when p_is_insert then rel.cascade_share else rel.cascade_reparent end;
    if v_old is not null then
      for s in delete from rowscope.record_share
                where table_name = p_table and record_id = p_record
                  and inherited_from_table = rel.references_table and inherited_from_record = v_old
                returning principal_id loop
        perform rowscope._cascade_share(p_table, p_record, s.principal_id, null, null);
      end loop;
    end if;
    continue when v_new is null or v_mode = 'none';
    if v_mode = 'user_owned' then
      select owner_id into v_parent_owner from rowscope._record_facts(rel.references_table, v_new);
      continue when v_parent_owner is distinct from p_owner;
    end if;
    -- each of the parent's share rows passes on what it would cascade now: a
    -- sharer's share with themselves (or their team) only the rights the sharer
    -- holds on this child (issue 14 F14, sql/110 _share_rights_for_child). The
    -- child keeps one row per principal and parent; its sharer is the source's,
    -- a self-sharer first when there are several, so that what it passes on to
    -- its own children is filtered again (never wider, at worst narrower).
    for s in select principal_id,
                    array(select distinct r
                            from rowscope.record_share s2,
                                 unnest(rowscope._share_rights_for_child(s2.principal_id, s2.rights, s2.shared_by, p_table, p_record)) r
                           where s2.table_name = rel.references_table and s2.record_id = v_new
                             and s2.principal_id = p.principal_id
                           order by r) as rights,
                    (select s2.shared_by from rowscope.record_share s2
                      where s2.table_name = rel.references_table and s2.record_id = v_new
                        and s2.principal_id = p.principal_id
                      order by (s2.shared_by is not null
                                and (s2.shared_by = s2.principal_id or s2.principal_id = any (rowscope._all_teams(s2.shared_by)))) desc,
                               s2.id
                      limit 1) as shared_by
               from (select distinct principal_id from rowscope.record_share
                      where table_name = rel.references_table and record_id = v_new) p
              order by principal_id loop
      continue when cardinality(s.rights) = 0;
      insert into rowscope.record_share (table_name, record_id, principal_id, rights, inherited_from_table, inherited_from_record, shared_by)
      values (p_table, p_record, s.principal_id, s.rights, rel.references_table, v_new, s.shared_by);
      perform rowscope._cascade_share(p_table, p_record, s.principal_id, s.rights, s.shared_by);
    end loop;
  end loop;
end
$$;

-- Assign cascades to children per relationship (all/active: every child;
-- user_owned: children the previous owner owned), without checking the caller's
-- rights on each child (docs/security-model.md): the children get a cascade pass.
create function rowscope._cascade_assign(p_table text, p_record uuid, p_old_owner uuid, p_new_owner uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  rel record;
  v_ids uuid[];
begin
  for rel in
    select r.*, s.data_schema from rowscope.relationship r join rowscope.secured_table s on s.name = r.table_name
    where r.references_table = p_table and r.cascade_assign <> 'none' and s.ownership = 'user'
    order by r.table_name, r.column_name
  loop
    execute format('select coalesce(array_agg(id), ''{}'') from %I.%I where %I = $1 and owner_id <> $3 and ($4 <> ''user_owned'' or owner_id = $2)',
                   rel.data_schema, rel.table_name, rel.column_name)
      into v_ids using p_record, p_old_owner, p_new_owner, rel.cascade_assign;
    perform rowscope._update_with_cascade_pass(rel.table_name, v_ids, array['owner_id'], array[p_new_owner]);
  end loop;
end
$$;

-- With shareToPreviousOwnerOnAssign, the previous owner (a user) keeps a share of
-- the rights they held through ownership (user depth or wider).
create function rowscope._share_to_previous_owner(p_table text, p_record uuid, p_previous uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_rights text[];
begin
  if not rowscope._setting_bool('shareToPreviousOwnerOnAssign', false)
     or not exists (select from rowscope.system_user where id = p_previous) then
    return;
  end if;
  select array_agg(r order by r) into v_rights
    from unnest(rowscope._record_rights()) r
   where rowscope._max_depth(p_previous, p_table, r) >= 1;
  if v_rights is null then
    return;
  end if;
  delete from rowscope.record_share
   where table_name = p_table and record_id = p_record and principal_id = p_previous and inherited_from_record is null;
  insert into rowscope.record_share (table_name, record_id, principal_id, rights, shared_by)
  values (p_table, p_record, p_previous, v_rights, rowscope._current_user_id());
end
$$;

-- Before a record goes: children per delete cascade (cascade: deleted, each
-- delete checked for the acting user; remove_link: lookup nulled; restrict:
-- refused while children exist), then the record's shares.
create function rowscope._cascade_delete(p_me uuid, p_table text, p_record uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  rel record;
  v_ids uuid[];
begin
  for rel in
    select r.*, s.data_schema from rowscope.relationship r join rowscope.secured_table s on s.name = r.table_name
    where r.references_table = p_table order by r.table_name, r.column_name
  loop
    execute format('select coalesce(array_agg(id), ''{}'') from %I.%I where %I = $1', rel.data_schema, rel.table_name, rel.column_name)
      into v_ids using p_record;
    continue when cardinality(v_ids) = 0;
    if rel.cascade_delete = 'restrict' then
      perform rowscope._refuse(p_me, 'delete', p_table, p_record::text,
        format('%s %s record(s) still refer to it through %s (delete: restrict); delete or move them first',
               cardinality(v_ids), rel.table_name, rel.column_name));
    elsif rel.cascade_delete = 'cascade' then
      execute format('delete from %I.%I where id = any ($1)', rel.data_schema, rel.table_name) using v_ids;
    else
      perform rowscope._update_with_cascade_pass(rel.table_name, v_ids, array[rel.column_name::text], array[null::uuid]);
    end if;
  end loop;
  -- Each DELETE on security data bumps the security epoch (sql/890), which
  -- empties every session's access cache and fails REPEATABLE READ readers'
  -- next statement: delete only when there is something to delete (most
  -- records have no share and no access team).
  if exists (select from rowscope.record_share where table_name = p_table and record_id = p_record) then
    delete from rowscope.record_share where table_name = p_table and record_id = p_record;
  end if;
  perform rowscope._drop_parent_owner_reads(p_table, p_record);
  if exists (select from rowscope.team t where t.record_table = p_table and t.record_id = p_record) then
    delete from rowscope.team_member m using rowscope.team t
     where m.team_id = t.id and t.record_table = p_table and t.record_id = p_record;
  end if;
end
$$;

-- AFTER INSERT OR UPDATE on user-owned model tables: share inheritance,
-- reparenting and the assign cascade, once the row is final.
create function rowscope._tg_after_change() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_table text := tg_argv[0];
  v_old jsonb := case when tg_op = 'UPDATE' then to_jsonb(old) end;
  v_new jsonb := to_jsonb(new);
begin
  -- reparent inheritance: the parent owner's read (sql/145), first: what a
  -- sharer's share with their own team passes on is what the sharer holds on
  -- this child (sql/110 _share_rights_for_child), and a sharer who owns the
  -- new parent holds that read from now on
  perform rowscope._sync_parent_owner_reads(v_table, new.id, v_old, v_new);
  perform rowscope._inherit_parent_shares(v_table, new.id, new.owner_id, v_old, v_new, tg_op = 'INSERT');
  if tg_op = 'UPDATE' and new.owner_id is distinct from old.owner_id then
    perform rowscope._cascade_assign(v_table, new.id, old.owner_id, new.owner_id);
    perform rowscope._share_to_previous_owner(v_table, new.id, old.owner_id);
  end if;
  if tg_op = 'UPDATE' and current_setting('rowscope.assign_pending', true) = 'on' then
    perform rowscope._apply_pending_assign(v_table, new.id);
  end if;
  return null;
end
$$;

-- An assign the row guard held back (sql/100, pending_assign) is applied now, as
-- a cascade is: the assign right was checked, so the guard lets it through, and
-- this trigger runs again for it with the owner change (cascades, the previous
-- owner's share).
create function rowscope._apply_pending_assign(p_table text, p_record uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_owner uuid;
  v_bu uuid;
begin
  delete from rowscope.pending_assign p
  where p.txid = txid_current() and p.table_name = p_table and p.record_id = p_record
  returning p.new_owner, p.new_business_unit into v_owner, v_bu;
  if not found then
    return;
  end if;
  perform rowscope._update_with_cascade_pass(p_table, array[p_record], array['owner_id', 'owning_business_unit'], array[v_owner, v_bu]);
end
$$;

-- Without ownershipAcrossBusinessUnits a record's owning BU is always its owner's:
-- when a user (or team) moves, so do their records (no check of the mover's
-- rights on each record: it is the owner who moved).
create function rowscope._move_owned_records(p_owner uuid, p_business_unit uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  st rowscope.secured_table;
  v_ids uuid[];
begin
  if rowscope._setting_bool('ownershipAcrossBusinessUnits', false) then
    return;
  end if;
  for st in select * from rowscope.secured_table where ownership = 'user' order by name loop
    execute format('select coalesce(array_agg(id), ''{}'') from %I.%I where owner_id = $1 and owning_business_unit <> $2',
                   st.data_schema, st.name) into v_ids using p_owner, p_business_unit;
    perform rowscope._update_with_cascade_pass(st.name, v_ids, array['owning_business_unit'], array[p_business_unit]);
  end loop;
end
$$;
