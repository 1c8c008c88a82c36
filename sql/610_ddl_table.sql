-- Stage 2 of compilation (docs/architecture.md): a model table made ready and
-- released. Built in the database rather than generated because it depends on
-- the live table (does it exist, has it an id, has it rows without owners).
-- Called by the generated migration (src/compile/tables.ts); executed by the
-- migrating role only.

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
  -- a non-superuser migrating role may hand the table to rowscope_owner only when
  -- rowscope_owner may create in its schema (NOLOGIN: no user acts as it)
  execute format('grant create on schema %I to rowscope_owner', p_schema);
  execute format('alter table %s owner to rowscope_owner', v_rel);
  execute format('alter table %s enable row level security, force row level security', v_rel);
  -- users reach the data through rowscope_user's column grants (set by _build_api_view)
  execute format('revoke all on %s from public', v_rel);
  -- a non-superuser deployment administrator (member of rowscope_admin) reads
  -- and writes every row, as its policy says (src/compile/policies.ts)
  execute format('grant select, insert, update, delete on %s to rowscope_admin', v_rel);
  -- the definer reads records (assign, share), runs cascades and bumps cached plans (grant option)
  execute format('grant select, update, delete on %s to rowscope_definer with grant option', v_rel);
end
$$;

-- Drops what _prepare_table, the generated policies/triggers and the api view
-- builder added, keeping the data and the system columns (their values may be
-- relied on). Kept as well: the table's owner (rowscope_owner) and the schema
-- privileges granted above, which the application's own use of the schema may
-- rely on (test/integration/catalog/steps.test.ts checks the rest is undone).
create function rowscope._release_table(p_schema text, p_table text, p_api_schema text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_rel regclass := to_regclass(format('%I.%I', p_schema, p_table));
  p record;
begin
  execute format('drop view if exists %I.%I', p_api_schema, p_table);
  -- the view's generated writer and its secured columns' readers
  -- (sql/620_ddl_api_view.sql): definer functions users may call, so none
  -- outlives the view it was made for
  execute format('drop function if exists rowscope.%I()', rowscope._field_writer_name(p_table));
  perform rowscope._drop_secured_readers(p_table);
  if v_rel is null then
    return;
  end if;
  for p in select polname from pg_policy where polrelid = v_rel loop
    execute format('drop policy %I on %s', p.polname, v_rel);
  end loop;
  execute format('drop trigger if exists rowscope_guard on %s', v_rel);
  execute format('drop trigger if exists rowscope_field_guard on %s', v_rel);
  execute format('alter table %s disable row level security, no force row level security', v_rel);
  execute format('revoke all on %s from rowscope_user, rowscope_definer, rowscope_plan_bump, rowscope_admin', v_rel);
end
$$;
