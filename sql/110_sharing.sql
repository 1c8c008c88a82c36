-- Sharing (docs/security-model.md rule 3 and "Share"): PrincipalObjectAccess as
-- rowscope.record_share rows. A direct share is the one a person made; an
-- inherited share was cascaded from a parent record's share and remembers its
-- source, so it goes when the source goes.

-- The caller may share: share right on the record, and every right granted held
-- by the caller on that record. The deployment administrator may always.
create function rowscope._require_share_rights(p_table text, p_record uuid, p_rights text[],
                                               p_owner uuid, p_owning_bu uuid) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := rowscope._current_user_id();
  v_right text;
begin
  if rowscope._is_deployment_admin() then
    return;
  end if;
  perform rowscope._require_right(v_me, p_table, 'share', p_record, p_owner, p_owning_bu);
  foreach v_right in array p_rights loop
    if not rowscope._has_right(v_me, p_table, v_right, p_record, p_owner, p_owning_bu) then
      perform rowscope._refuse(v_me, v_right, p_table, p_record::text,
        format('one can share only rights one holds; %s', rowscope._missing_reason(v_me, p_table, v_right, p_owner, p_owning_bu)));
    end if;
  end loop;
end
$$;

-- 22023 naming the argument unless the id is a user or a team (sharing, field security).
create function rowscope._require_principal(p_principal uuid, p_argument text) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  if p_principal is null or not exists (select from rowscope.principal where id = p_principal) then
    perform rowscope._bad_argument(format('%s: no such user or team %s', p_argument, coalesce(p_principal::text, 'null')));
  end if;
end
$$;

-- Child records of a parent reached by a cascade option: (table, id) of each.
-- 'all' and 'active' take every child (rowscope has no record state, so active
-- means all); 'user_owned' takes children owned by the parent's owner.
create function rowscope._cascade_children(p_table text, p_record uuid, p_option text)
returns table (child_table text, child_id uuid)
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  rel record;
  v_owner uuid;
begin
  select owner_id into v_owner from rowscope._record_facts(p_table, p_record);
  for rel in
    select r.*, s.data_schema, s.ownership,
           case p_option when 'share' then r.cascade_share when 'unshare' then r.cascade_unshare
                         when 'assign' then r.cascade_assign when 'reparent' then r.cascade_reparent end as mode
    from rowscope.relationship r join rowscope.secured_table s on s.name = r.table_name
    where r.references_table = p_table
    order by r.table_name, r.column_name
  loop
    continue when rel.mode = 'none';
    if rel.mode = 'user_owned' and rel.ownership = 'user' then
      return query execute format('select %L::text, id from %I.%I where %I = $1 and owner_id = $2',
                                  rel.table_name, rel.data_schema, rel.table_name, rel.column_name)
        using p_record, v_owner;
    else
      return query execute format('select %L::text, id from %I.%I where %I = $1',
                                  rel.table_name, rel.data_schema, rel.table_name, rel.column_name)
        using p_record;
    end if;
  end loop;
end
$$;

-- Sets (or with null rights removes) the share a parent's share cascades to its
-- children, recursively down the relationships. Cascaded shares reach the
-- children without a check of the sharer's rights on each child (as in
-- Dataverse), except where the sharer would give them to themselves: a share --
-- direct or cascaded -- never gives its sharer, or a team the sharer belongs
-- to, a right on a record the sharer does not already hold there (issue 14,
-- F14: a self-share of one's account gave delete on another owner's contact).
-- So for those principals each child gets only the rights the sharer holds on
-- it, and passes on no more. p_shared_by null (the deployment administrator,
-- or no sharer known) filters nothing.
-- The rights of a share (to p_principal, made by p_shared_by) that reach child
-- record (p_table, p_record): all of them, unless the share is the sharer's own
-- (to the sharer or a team the sharer belongs to); then only those the sharer
-- already holds on the child (issue 14, F14). Used by the cascade below and by
-- a child created under, or moved to, a shared parent (sql/140
-- _inherit_parent_shares).
create function rowscope._share_rights_for_child(p_principal uuid, p_rights text[], p_shared_by uuid,
                                                 p_table text, p_record uuid) returns text[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  f record;
begin
  if p_rights is null or p_shared_by is null
     or not (p_principal = p_shared_by or p_principal = any (rowscope._all_teams(p_shared_by))) then
    return p_rights;
  end if;
  select * into f from rowscope._record_facts(p_table, p_record);
  -- what the sharer can use there, as check_access says (sql/400 _rights_held):
  -- a right that needs read counts only with read, so a share holding delete
  -- without read passes no delete on (src/reference/usable.ts is the same rule)
  return array(select r from unnest(p_rights) r
                where r = any (rowscope._rights_held(p_shared_by, p_table, p_record, f.owner_id, f.owning_business_unit))
                order by r);
end
$$;

create function rowscope._cascade_share(p_table text, p_record uuid, p_principal uuid, p_rights text[], p_shared_by uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  c record;
  v_rights text[];
begin
  for c in select * from rowscope._cascade_children(p_table, p_record, case when p_rights is null then 'unshare' else 'share' end) loop
    delete from rowscope.record_share
     where table_name = c.child_table and record_id = c.child_id and principal_id = p_principal
       and inherited_from_table = p_table and inherited_from_record = p_record;
    -- what the sharer holds on the child now, with this source's share gone
    v_rights := rowscope._share_rights_for_child(p_principal, p_rights, p_shared_by, c.child_table, c.child_id);
    if cardinality(v_rights) > 0 then
      insert into rowscope.record_share (table_name, record_id, principal_id, rights, inherited_from_table, inherited_from_record, shared_by)
      values (c.child_table, c.child_id, p_principal, v_rights, p_table, p_record, p_shared_by);
    end if;
    perform rowscope._cascade_share(c.child_table, c.child_id, p_principal, v_rights, p_shared_by);
  end loop;
end
$$;

-- The rights a principal holds on a record through all its share rows.
create function rowscope._shared_rights(p_table text, p_record uuid, p_principal uuid) returns text[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(distinct r order by r), '{}')
  from rowscope.record_share s cross join unnest(s.rights) r
  where s.table_name = p_table and s.record_id = p_record and s.principal_id = p_principal
$$;

-- A record's access team is no principal here (sql/072
-- _refuse_record_team_principal): checked first.
create function rowscope._set_direct_share(p_table text, p_record uuid, p_principal uuid, p_rights text[], p_merge boolean) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  f record;
  v_rights text[];
  v_existing text[];
begin
  perform rowscope._refuse_record_team_principal(p_principal, 'add');
  f := rowscope._readable_record(p_table, p_record);
  v_rights := rowscope._check_rights(p_rights, 'rights');
  perform rowscope._model_table(p_table);
  perform rowscope._require_principal(p_principal, 'principal_id');
  perform rowscope._require_share_rights(p_table, p_record, v_rights, f.owner_id, f.owning_business_unit);
  select rights into v_existing from rowscope.record_share
   where table_name = p_table and record_id = p_record and principal_id = p_principal and inherited_from_record is null;
  if p_merge and v_existing is not null then
    v_rights := array(select distinct r from unnest(v_existing || v_rights) r order by r);
  end if;
  if v_existing is null then
    insert into rowscope.record_share (table_name, record_id, principal_id, rights, shared_by)
    values (p_table, p_record, p_principal, v_rights, rowscope._current_user_id());
  elsif v_existing is distinct from v_rights then
    update rowscope.record_share set rights = v_rights, shared_by = rowscope._current_user_id(), shared_on = now()
     where table_name = p_table and record_id = p_record and principal_id = p_principal and inherited_from_record is null;
  end if;
  perform rowscope._cascade_share(p_table, p_record, p_principal, v_rights, rowscope._current_user_id());
end
$$;

create function rowscope.grant_access(table_name text, record_id uuid, principal_id uuid, rights text[]) returns void
language sql security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._set_direct_share(table_name, record_id, principal_id, rights, true)
$$;

create function rowscope.modify_access(table_name text, record_id uuid, principal_id uuid, rights text[]) returns void
language sql security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._set_direct_share(table_name, record_id, principal_id, rights, false)
$$;

create function rowscope.revoke_access(table_name text, record_id uuid, principal_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_variable
declare
  f record;
begin
  perform rowscope._refuse_record_team_principal(principal_id, 'remove');
  f := rowscope._readable_record(table_name, record_id);
  perform rowscope._require_principal(principal_id, 'principal_id');
  if not rowscope._is_deployment_admin() then
    perform rowscope._require_right(rowscope._current_user_id(), table_name, 'share', record_id, f.owner_id, f.owning_business_unit);
  end if;
  delete from rowscope.record_share s
   where s.table_name = revoke_access.table_name and s.record_id = revoke_access.record_id
     and s.principal_id = revoke_access.principal_id and s.inherited_from_record is null;
  perform rowscope._cascade_share(table_name, record_id, principal_id, null, null);
end
$$;
