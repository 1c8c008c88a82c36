-- The business-unit tree: a recursive-CTE view (the definition) and a closure
-- table (what the access-set helpers read), rebuilt from the view by a
-- statement trigger whenever the tree changes. BU trees are small (hundreds to
-- a few thousand rows), so a full rebuild is simpler than incremental upkeep
-- and trivially correct.

create view rowscope.business_unit_tree as
with recursive tree (ancestor_id, descendant_id, distance) as (
  select id, id, 0 from rowscope.business_unit
  union all
  select t.ancestor_id, b.id, t.distance + 1
  from tree t
  join rowscope.business_unit b on b.parent_id = t.descendant_id
)
select ancestor_id, descendant_id, distance from tree;

create table rowscope.bu_closure (
  ancestor_id uuid not null references rowscope.business_unit (id) on delete cascade,
  descendant_id uuid not null references rowscope.business_unit (id) on delete cascade,
  distance int not null,
  primary key (ancestor_id, descendant_id)
);
create index bu_closure_descendant on rowscope.bu_closure (descendant_id, ancestor_id);

create function rowscope._rebuild_bu_closure() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  -- a cycle would make the recursive view run forever: refuse it first
  if exists (
    with recursive up (id, parent_id, path) as (
      select id, parent_id, array[id] from rowscope.business_unit
      union all
      select u.id, b.parent_id, u.path || b.id
      from up u join rowscope.business_unit b on b.id = u.parent_id
      where not b.id = any (u.path)
    )
    select from up where parent_id = any (path)
  ) then
    raise exception 'rowscope: this change would make the business unit tree a cycle'
      using errcode = '22023', hint = 'a business unit cannot be moved under one of its own descendants';
  end if;
  delete from rowscope.bu_closure;
  insert into rowscope.bu_closure select * from rowscope.business_unit_tree;
  return null;
end
$$;

create trigger business_unit_tree_changed
  after insert or delete or update of parent_id on rowscope.business_unit
  for each statement execute function rowscope._rebuild_bu_closure();
