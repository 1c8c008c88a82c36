-- Migration-time helpers that depend on the live table (its columns), so they run
-- in the database rather than being generated: preparing a model table and
-- (re)building its api view. Executed by the migrating role only.

create function rowscope._ensure_role(p_role text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  if not exists (select from pg_roles where rolname = p_role) then
    execute format('create role %I nologin nobypassrls', p_role);
  end if;
  -- the definer moves users between classes; it must not inherit their policies
  if current_setting('server_version_num')::int >= 160000 then
    execute format('grant %I to rowscope_definer with admin option, inherit false, set false', p_role);
  else
    execute format('grant %I to rowscope_definer with admin option', p_role);
  end if;
end
$$;

create function rowscope._prepare_table(p_schema text, p_table text, p_ownership text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_rel regclass := to_regclass(format('%I.%I', p_schema, p_table));
  v_short text := left(p_table, 40);
  v_unowned boolean;
begin
  if v_rel is null then
    raise exception 'rowscope: table %.% named in the model does not exist', p_schema, p_table
      using errcode = '42P01', hint = 'create it in the application''s own migrations, before the rowscope migration runs';
  end if;
  if not exists (select from pg_attribute where attrelid = v_rel and attname = 'id' and atttypid = 'uuid'::regtype and not attisdropped) then
    raise exception 'rowscope: table %.% needs a uuid column "id" (its primary key)', p_schema, p_table
      using errcode = '42P16', hint = 'add: id uuid primary key default gen_random_uuid()';
  end if;
  if p_ownership = 'user' then
    execute format('alter table %s add column if not exists owner_id uuid, add column if not exists owning_business_unit uuid', v_rel);
    execute format('select exists (select from %s where owner_id is null or owning_business_unit is null)', v_rel) into strict v_unowned;
    if v_unowned then
      raise exception 'rowscope: %.% has rows without owner_id or owning_business_unit', p_schema, p_table
        using errcode = '23502', hint = 'set both on every existing row, then run the migration again';
    end if;
    execute format('alter table %s alter column owner_id set not null, alter column owning_business_unit set not null', v_rel);
    execute format('create index if not exists %I on %s (owner_id)', v_short || '_rs_owner', v_rel);
    execute format('create index if not exists %I on %s (owning_business_unit)', v_short || '_rs_owning_bu', v_rel);
  end if;
  execute format('alter table %s add column if not exists created_by uuid, add column if not exists created_on timestamptz not null default now(),'
                 ' add column if not exists modified_by uuid, add column if not exists modified_on timestamptz not null default now()', v_rel);
  execute format('create index if not exists %I on %s (modified_on)', v_short || '_rs_modified_on', v_rel);
  -- users may query the data schema directly (filtered by the same policies)
  execute format('grant usage on schema %I to rowscope_user, rowscope_definer, rowscope_owner', p_schema);
  execute format('alter table %s owner to rowscope_owner', v_rel);
  execute format('alter table %s enable row level security, force row level security', v_rel);
  -- users reach the data through rowscope_user's column grants (set by _build_api_view)
  execute format('revoke all on %s from public', v_rel);
  -- the definer reads records (assign, share) and bumps cached plans (grant option)
  execute format('grant select, update on %s to rowscope_definer with grant option', v_rel);
end
$$;

-- Drops what _prepare_table and the generated policies/triggers added, keeping the
-- data and the system columns (their values may be relied on).
create function rowscope._release_table(p_schema text, p_table text, p_api_schema text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_rel regclass := to_regclass(format('%I.%I', p_schema, p_table));
  p record;
begin
  execute format('drop view if exists %I.%I', p_api_schema, p_table);
  if v_rel is null then
    return;
  end if;
  for p in select polname from pg_policy where polrelid = v_rel loop
    execute format('drop policy %I on %s', p.polname, v_rel);
  end loop;
  execute format('drop trigger if exists rowscope_guard on %s', v_rel);
  execute format('alter table %s disable row level security, no force row level security', v_rel);
  execute format('revoke all on %s from rowscope_user, rowscope_definer, rowscope_plan_bump', v_rel);
end
$$;

-- A secured column is read through a definer function that applies field security;
-- users hold no privilege on the column itself.
create function rowscope._can_read_field(p_table text, p_column text, p_record uuid) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._is_deployment_admin()
      or exists (select from rowscope._grants(rowscope._current_user_id(), p_table, 'read') g
                 where g.role_name = 'system_administrator')
$$;

create function rowscope._secured_reader_name(p_table text, p_column text) returns text
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select left('field_' || p_table || '__' || p_column, 55) || '_' || left(md5(p_table || '.' || p_column), 7)
$$;

-- (Re)builds api.<table>: a security_invoker, security_barrier view over the data
-- table, column for column, with secured columns read through their masking
-- function; grants the non-secured columns of the data table to rowscope_user.
create function rowscope._build_api_view(p_schema text, p_table text, p_api_schema text, p_secured text[]) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_rel regclass := format('%I.%I', p_schema, p_table)::regclass;
  c record;
  v_cols text[] := '{}';
  v_plain text[] := '{}';
  v_fn text;
begin
  execute format('create schema if not exists %I', p_api_schema);
  execute format('grant usage on schema %I to rowscope_user', p_api_schema);
  execute format('revoke create on schema %I from public', p_api_schema);
  execute format('drop view if exists %I.%I', p_api_schema, p_table);
  for c in
    select a.attname, format_type(a.atttypid, a.atttypmod) as type
    from pg_attribute a where a.attrelid = v_rel and a.attnum > 0 and not a.attisdropped order by a.attnum
  loop
    if c.attname = any (p_secured) then
      v_fn := rowscope._secured_reader_name(p_table, c.attname);
      execute format('create or replace function rowscope.%I(p_id uuid) returns %s language sql stable security definer '
                     'set search_path = pg_catalog, pg_temp as %L',
                     v_fn, c.type,
                     format('select t.%I from %s t where t.id = p_id and rowscope._can_read_field(%L, %L, p_id)',
                            c.attname, v_rel, p_table, c.attname));
      execute format('alter function rowscope.%I(uuid) owner to rowscope_definer', v_fn);
      execute format('revoke all on function rowscope.%I(uuid) from public', v_fn);
      execute format('grant execute on function rowscope.%I(uuid) to rowscope_user', v_fn);
      v_cols := v_cols || format('rowscope.%I(t.id) as %I', v_fn, c.attname);
    else
      v_cols := v_cols || format('t.%I', c.attname);
      v_plain := v_plain || quote_ident(c.attname);
    end if;
  end loop;
  execute format('create view %I.%I with (security_invoker = true, security_barrier = true) as select %s from %s t',
                 p_api_schema, p_table, array_to_string(v_cols, ', '), v_rel);
  execute format('alter view %I.%I owner to rowscope_owner', p_api_schema, p_table);
  execute format('revoke all on %I.%I from public', p_api_schema, p_table);
  execute format('grant select, insert, update, delete on %I.%I to rowscope_user', p_api_schema, p_table);
  execute format('revoke all on %s from rowscope_user', v_rel);
  execute format('grant select (%1$s), insert (%1$s), update (%1$s) on %2$s to rowscope_user', array_to_string(v_plain, ', '), v_rel);
  execute format('grant delete on %s to rowscope_user', v_rel);
end
$$;
