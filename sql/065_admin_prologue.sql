-- The argument checks that open the admin functions which create or place
-- security objects (create_business_unit, create_user, move_user, create_team,
-- create_position, assign_role): one wording of each 22023 (docs/reference.md),
-- one bound on names. The privilege check that follows is _require_admin
-- (sql/060_refusals.sql); each caller keeps its own order of the two.

-- A new object's name: given, not blank, at most 160 characters (names end up
-- in messages and labels: issue 14, F12). p_kind names the object ("a team").
create function rowscope._check_name(p_name text, p_kind text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  if p_name is null or btrim(p_name) = '' then
    perform rowscope._bad_argument(format('name: a %s needs a name', p_kind));
  end if;
  if length(p_name) > 160 then
    perform rowscope._bad_argument(format('name: %s characters; a %s name has at most 160', length(p_name), p_kind));
  end if;
end
$$;

-- A business unit the call names (p_argument) must exist.
create function rowscope._check_business_unit(p_business_unit uuid, p_argument text) returns void
language plpgsql stable set search_path = pg_catalog, pg_temp as $$
begin
  if not exists (select from rowscope.business_unit where id = p_business_unit) then
    perform rowscope._bad_argument(format('%s: no such business unit %s', p_argument, coalesce(p_business_unit::text, 'null')));
  end if;
end
$$;
