-- Row triggers on every model table: they keep the system columns and enforce
-- the Create / Update / Assign / Delete rules of docs/security-model.md on the data tables
-- themselves, so api views, GraphQL and direct SQL on the data schema obey the
-- same rules. Policies decide which rows a statement can reach (reading); these
-- triggers refuse, with 42501 and a reason, what a reached row may not undergo.

create function rowscope._system_columns() returns text[]
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select array['owner_id', 'owning_business_unit', 'created_by', 'created_on', 'modified_by', 'modified_on']
$$;

-- An owner must be an enabled user or an owner team; returns its business unit.
create function rowscope._owner_business_unit(p_owner uuid, p_argument text) returns uuid
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_bu uuid;
begin
  select business_unit_id into v_bu from rowscope.system_user where id = p_owner and not is_disabled;
  if found then
    return v_bu;
  end if;
  select business_unit_id into v_bu from rowscope.team where id = p_owner and team_type = 'owner';
  if found then
    return v_bu;
  end if;
  perform rowscope._bad_argument(format('%s: %s is not an enabled user or an owner team', p_argument, coalesce(p_owner::text, 'null')));
end
$$;

-- The widest depth a principal holds a privilege at through its roles: a
-- team's own; a user's, also through their owner teams (access mode and the
-- disabled flag aside: an owner is judged by its roles). For Assign.
create function rowscope._principal_depth(p_principal uuid, p_table text, p_privilege text) returns smallint
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(max(case when r.is_builtin and r.name = 'system_administrator' then 4 else p.depth end), 0)::smallint
  from rowscope.role_assignment ra
  join rowscope.security_role r on r.id = ra.role_id
  left join rowscope.role_privilege p on p.role_id = ra.role_id and p.table_name = p_table and p.privilege = p_privilege
  where ra.principal_id = p_principal
     or ra.principal_id in (select m.team_id from rowscope.team_member m join rowscope.team t on t.id = m.team_id
                            where m.user_id = p_principal and t.team_type = 'owner')
$$;

-- Assign (docs/security-model.md): the new owner must hold read on the table at user depth or
-- wider, or it could not see what it owns (Dataverse: "missing prvRead").
-- Whoever assigns, the deployment administrator included; a cascade's children
-- follow their parent unchecked.
create function rowscope._require_owner_can_read(p_me uuid, p_table text, p_record uuid, p_owner uuid) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  if rowscope._principal_depth(p_owner, p_table, 'read') < 1 then
    perform rowscope._refuse(p_me, 'assign', p_table, p_record::text,
      format('the new owner %s is missing prvRead on %s: no role of it grants read on %s at user depth or wider (give it such a role first)',
             rowscope._principal_label(p_owner), p_table, p_table));
  end if;
end
$$;

-- The business unit of an enabled user or owner team; null for anything else.
create function rowscope._owner_business_unit_or_null(p_owner uuid) returns uuid
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(
    (select business_unit_id from rowscope.system_user where id = p_owner and not is_disabled),
    (select business_unit_id from rowscope.team where id = p_owner and team_type = 'owner'))
$$;

-- Whether the acting user may know about a principal (its login or name, its
-- business unit, whether it is enabled): itself, or a user / team it may read
-- as security data. Refusals name only what the user may know (the outside
-- test's F12: an insert with someone else's owner_id told their BU and
-- whether they were enabled); ids are fine, they are what the user gave.
create function rowscope._principal_known(p_me uuid, p_principal uuid) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select p_me is null or p_principal = p_me
      or exists (select from rowscope.system_user u where u.id = p_principal
                 and rowscope._has_right(p_me, 'system_user', 'read', null, u.id, u.business_unit_id))
      or exists (select from rowscope.team t where t.id = p_principal
                 and rowscope._has_right(p_me, 'team', 'read', null, t.id, t.business_unit_id))
$$;

-- The acting user, or null for the deployment administrator; anyone else is refused.
create function rowscope._acting_user(p_table text, p_right text, p_record uuid) returns uuid
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := rowscope._current_user_id();
begin
  if v_me is null and not rowscope._is_deployment_admin() then
    perform rowscope._refuse(null, p_right, p_table, p_record::text,
                             format('role %s is no rowscope user', rowscope._identity()));
  end if;
  return v_me;
end
$$;

create function rowscope._business_columns_changed(p_old jsonb, p_new jsonb) returns boolean
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select (p_old - rowscope._system_columns()) is distinct from (p_new - rowscope._system_columns())
$$;

-- The row guard's hot path (docs/performance.md, "Writes"): the acting user, their
-- business unit and whether rule 1 (enabled, access mode) lets them use the
-- right, in one index probe, where the general path makes four nested calls
-- (rowscope._acting_user, rowscope._mode_allows, rowscope._principal_known,
-- rowscope._owner_business_unit). Each call of a security-definer function with
-- its own search_path costs tens of microseconds, about what the probe does.
-- Null id: the role is no rowscope user (the caller then asks whether it is the
-- deployment administrator, as rowscope._acting_user does).
create function rowscope._acting_user_facts(p_table text, p_right text,
                                            out id uuid, out business_unit_id uuid, out allowed boolean)
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select u.id, u.business_unit_id,
         not u.is_disabled and case u.access_mode
           when 'administrative' then p_table = any (rowscope._builtin_tables())
           when 'read' then p_right = 'read'
           else true end
  from rowscope.system_user u
  where u.db_role = coalesce(nullif(current_setting('role'), 'none'), session_user)::name
$$;

create function rowscope._tg_guard_user_owned() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_table text := tg_argv[0];
  v_right text := case tg_op when 'INSERT' then 'create' when 'UPDATE' then 'write' else 'delete' end;
  v_me uuid;
  v_my_bu uuid;
  v_allowed boolean;
  v_modern boolean;
  v_owner_bu uuid;
  v_owner_changed boolean;
  v_bu_changed boolean;
  v_pass boolean;
  v_checked boolean;
  v_known boolean;
  v_summary boolean := false;
  s record;
begin
  -- who acts: as rowscope._acting_user, from one probe (rowscope._acting_user_facts)
  select f.id, f.business_unit_id, f.allowed into v_me, v_my_bu, v_allowed
  from rowscope._acting_user_facts(v_table, v_right) f;
  if v_me is null and not rowscope._is_deployment_admin() then
    perform rowscope._refuse(null, v_right, v_table, (case when tg_op = 'INSERT' then new.id else old.id end)::text,
                             format('role %s is no rowscope user', rowscope._identity()));
  end if;

  -- The grant summary the hot paths below decide from (sql/045
  -- _grant_summary_cached), read from the session cache here: that function
  -- and the rowscope._access_cache_ready it calls are two more nested
  -- security-definer calls per row (docs/performance.md, "Writes"). The same
  -- checks: only a cache table the definer owns (a user's own pg_temp table of
  -- that name is ignored), only an entry of the current security epoch. On a
  -- miss, the hot path asks rowscope._grant_summary_cached, which computes it.
  -- Not for rows a cascade changes (a pass may be open: that path needs none).
  if v_me is not null
     and (tg_op = 'DELETE' or (tg_op = 'INSERT' and v_allowed)
          or (tg_op = 'UPDATE' and coalesce(current_setting('rowscope.cascade_pass_opened', true), '') <> 'on')) then
    if (select c.relowner = current_user::regrole::oid from pg_class c
        where c.oid = to_regclass('pg_temp.rowscope_access_cache_v2')) then
      select c.depth, c.ids as owners, c.bus into s
      from pg_temp.rowscope_access_cache_v2 c
      where c.user_id = v_me and c.table_name = v_table and c.privilege = v_right and c.kind = 'summary'
        and c.epoch = (select e.n from rowscope.security_epoch e);
      v_summary := found;
    end if;
  end if;

  if tg_op = 'DELETE' then
    if v_me is not null then
      -- hot path: organization depth, an owner or a business unit the grants
      -- cover (the cached grant summary); anything else, and every refusal, is
      -- rowscope._require_right's
      if not v_summary then
        select * into s from rowscope._grant_summary_cached(v_me, v_table, 'delete');
      end if;
      if not coalesce(s.depth = 4 or (s.depth > 0 and (old.owner_id = any (s.owners) or old.owning_business_unit = any (s.bus))), false) then
        perform rowscope._require_right(v_me, v_table, 'delete', old.id, old.owner_id, old.owning_business_unit);
      end if;
    end if;
    perform rowscope._cascade_delete(v_me, v_table, old.id);
    return old;
  end if;

  if tg_op = 'INSERT' then
    new.created_by := v_me; new.created_on := now();
    new.modified_by := v_me; new.modified_on := now();
    if v_me is not null and v_allowed
       and (new.owner_id is null or new.owner_id = v_me)
       and (new.owning_business_unit is null or new.owning_business_unit = v_my_bu) then
      -- hot path: the user's own record in their own business unit (the common
      -- create). The general path below would find the same: rule 1 allows
      -- create, the owner is the user (enabled, known), its BU theirs.
      if not v_summary then
        select * into s from rowscope._grant_summary_cached(v_me, v_table, 'create');
      end if;
      if coalesce(s.depth = 4 or (s.depth > 0 and (v_me = any (s.owners) or v_my_bu = any (s.bus))), false) then
        new.owner_id := v_me;
        new.owning_business_unit := v_my_bu;
        if exists (select from rowscope.relationship r where r.table_name = v_table) then
          perform rowscope._check_lookups(v_me, v_table, null, to_jsonb(new), null, new.owner_id, new.owning_business_unit);
        end if;
        return new;
      end if;
    end if;
    if v_me is not null and not v_allowed then
      -- disabled, or an access mode without create: say so before anything about the owner
      perform rowscope._refuse(v_me, 'create', v_table, new.id::text,
                               rowscope._missing_reason(v_me, v_table, 'create', null, null));
    end if;
    if new.owner_id is null then
      if v_me is null then
        perform rowscope._bad_argument(format('owner_id: the deployment administrator is no rowscope user and must pass owner_id when inserting into %s', v_table));
      end if;
      new.owner_id := v_me;
    end if;
    v_known := rowscope._principal_known(v_me, new.owner_id);
    if v_known or not (exists (select from rowscope.system_user where id = new.owner_id)
                       or exists (select from rowscope.team where id = new.owner_id)) then
      -- (an id that is no principal at all tells nothing about anyone)
      v_owner_bu := rowscope._owner_business_unit(new.owner_id, 'owner_id');
    else
      -- someone the user may not read: one refusal whether it is disabled,
      -- an access team or out of the create scope, naming no BU
      v_owner_bu := rowscope._owner_business_unit_or_null(new.owner_id);
      if v_owner_bu is null
         or not rowscope._has_right(v_me, v_table, 'create', null, new.owner_id, coalesce(new.owning_business_unit, v_owner_bu)) then
        perform rowscope._refuse(v_me, 'create', v_table, new.id::text,
          case when rowscope._max_depth(v_me, v_table, 'create') = 0 then rowscope._missing_reason(v_me, v_table, 'create', null, null)
               else format('owner_id %s is not an enabled user or owner team the user may create %s records for', new.owner_id, v_table) end);
      end if;
    end if;
    if new.owning_business_unit is null then
      new.owning_business_unit := v_owner_bu;
    elsif new.owning_business_unit <> v_owner_bu then
      if not rowscope._setting_bool('ownershipAcrossBusinessUnits', false) then
        perform rowscope._bad_argument(format('owning_business_unit: must be the owner''s business unit%s unless the model sets ownershipAcrossBusinessUnits',
                                              case when v_known then format(' (%s)', rowscope._bu_label(v_owner_bu)) else '' end));
      elsif not exists (select from rowscope.business_unit where id = new.owning_business_unit) then
        perform rowscope._bad_argument(format('owning_business_unit: no such business unit %s', new.owning_business_unit));
      end if;
    end if;
    if v_me is not null then
      -- create scope is about the new record's owner and owning BU; shares cannot reach it yet
      perform rowscope._require_right(v_me, v_table, 'create', null, new.owner_id, new.owning_business_unit, new.id::text);
      perform rowscope._check_lookups(v_me, v_table, null, to_jsonb(new), null, new.owner_id, new.owning_business_unit);
    end if;
    return new;
  end if;

  -- UPDATE
  if new.id is distinct from old.id then
    perform rowscope._bad_argument(format('id: the id of a %s record cannot change', v_table));
  end if;
  new.created_by := old.created_by; new.created_on := old.created_on;
  new.modified_by := v_me; new.modified_on := now();
  -- a cascade (assign, remove_link, the owner's move to another BU) acts on this
  -- record without a check of the caller's rights on it (the setting only spares
  -- the lookup: the pass itself is the row rowscope._has_cascade_pass finds)
  v_pass := coalesce(current_setting('rowscope.cascade_pass_opened', true) = 'on', false)
            and rowscope._has_cascade_pass(v_table, old.id);
  v_checked := v_me is not null and not v_pass;
  v_owner_changed := new.owner_id is distinct from old.owner_id;
  v_bu_changed := new.owning_business_unit is distinct from old.owning_business_unit;

  if v_checked and not v_owner_changed and not v_bu_changed then
    -- hot path: an edit that keeps owner and BU, on a row the grants cover
    -- through organization depth, its owner or its BU (before and after are the
    -- same record facts, so one check is both)
    if not v_summary then
      select * into s from rowscope._grant_summary_cached(v_me, v_table, 'write');
    end if;
    if not coalesce(s.depth = 4 or (s.depth > 0 and (old.owner_id = any (s.owners) or old.owning_business_unit = any (s.bus))), false) then
      perform rowscope._require_right(v_me, v_table, 'write', old.id, old.owner_id, old.owning_business_unit);
    end if;
    if exists (select from rowscope.relationship r where r.table_name = v_table) then
      perform rowscope._check_lookups(v_me, v_table, to_jsonb(old), to_jsonb(new), old.id, old.owner_id, old.owning_business_unit);
    end if;
    return new;
  end if;

  v_modern := (v_owner_changed or v_bu_changed) and rowscope._setting_bool('ownershipAcrossBusinessUnits', false);
  if v_bu_changed and not v_modern and not v_pass then
    perform rowscope._bad_argument(format('owning_business_unit: follows the owner; it can be set only with the model option ownershipAcrossBusinessUnits (record %s)', old.id));
  end if;

  if v_owner_changed then
    -- an assign: governed by the assign right alone, though the row then leaves the scope
    if v_checked then
      perform rowscope._require_right(v_me, v_table, 'assign', old.id, old.owner_id, old.owning_business_unit);
    end if;
    v_owner_bu := rowscope._owner_business_unit(new.owner_id, 'owner_id');
    if not v_pass then
      perform rowscope._require_owner_can_read(v_me, v_table, old.id, new.owner_id);
    end if;
    if not v_bu_changed and (not v_modern or rowscope._setting_bool('alwaysMoveRecordToOwnerBusinessUnit', true)) then
      new.owning_business_unit := v_owner_bu;
    end if;
  end if;

  if v_checked and (not v_owner_changed or v_bu_changed
                    or rowscope._business_columns_changed(to_jsonb(old), to_jsonb(new))) then
    -- the row must be in write scope before and after
    perform rowscope._require_right(v_me, v_table, 'write', old.id, old.owner_id, old.owning_business_unit);
    if v_bu_changed then
      if not rowscope._has_right(v_me, v_table, 'write', null, null, new.owning_business_unit) then
        perform rowscope._refuse(v_me, 'write', v_table, old.id::text,
          format('the new owning business unit %s is outside the user''s write scope', rowscope._bu_label(new.owning_business_unit)));
      end if;
    elsif not v_owner_changed then
      perform rowscope._require_right(v_me, v_table, 'write', new.id, new.owner_id, new.owning_business_unit);
    end if;
    perform rowscope._check_lookups(v_me, v_table, to_jsonb(old), to_jsonb(new), old.id, old.owner_id, old.owning_business_unit);
  end if;
  if v_owner_changed and v_checked then
    -- the assign itself waits for the end of the statement (sql/100, pending_assign)
    insert into rowscope.pending_assign (txid, table_name, record_id, new_owner, new_business_unit)
    values (txid_current(), v_table, old.id, new.owner_id, new.owning_business_unit)
    on conflict (txid, table_name, record_id)
    do update set new_owner = excluded.new_owner, new_business_unit = excluded.new_business_unit;
    perform set_config('rowscope.assign_pending', 'on', true); -- spares other rows' after trigger a lookup
    new.owner_id := old.owner_id;
    new.owning_business_unit := old.owning_business_unit;
  end if;
  return new;
end
$$;

create function rowscope._tg_guard_organization_owned() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_table text := tg_argv[0];
  v_me uuid;
begin
  if tg_op = 'DELETE' then
    v_me := rowscope._acting_user(v_table, 'delete', old.id);
    if v_me is not null then
      perform rowscope._require_right(v_me, v_table, 'delete', old.id, null, null);
    end if;
    perform rowscope._cascade_delete(v_me, v_table, old.id);
    return old;
  elsif tg_op = 'INSERT' then
    v_me := rowscope._acting_user(v_table, 'create', new.id);
    new.created_by := v_me; new.created_on := now();
    new.modified_by := v_me; new.modified_on := now();
    if v_me is not null then
      perform rowscope._require_right(v_me, v_table, 'create', null, null, null, new.id::text);
      perform rowscope._check_lookups(v_me, v_table, null, to_jsonb(new), null, null, null);
    end if;
    return new;
  end if;
  v_me := rowscope._acting_user(v_table, 'write', old.id);
  if new.id is distinct from old.id then
    perform rowscope._bad_argument(format('id: the id of a %s record cannot change', v_table));
  end if;
  new.created_by := old.created_by; new.created_on := old.created_on;
  new.modified_by := v_me; new.modified_on := now();
  if v_me is not null and rowscope._has_cascade_pass(v_table, old.id) then
    v_me := null;
  end if;
  if v_me is not null then
    perform rowscope._require_right(v_me, v_table, 'write', old.id, null, null);
    perform rowscope._check_lookups(v_me, v_table, to_jsonb(old), to_jsonb(new), old.id, null, null);
  end if;
  return new;
end
$$;
