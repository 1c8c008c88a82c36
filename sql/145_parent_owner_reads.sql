-- Reparent inheritance (docs/security-model.md "Reparent"): under a relationship whose
-- reparent cascade is not `none`, the owner of the parent record (a user, or
-- every member of an owning owner team) has read on the child, as Dataverse's
-- access origin "owner of a parent entity of the object". It follows the
-- parent's current owner and the child's current (immediate) parent and is no
-- share: it cannot be revoked, and it is not passed on through the owner's
-- hierarchy.
--
-- Kept as rows (child, relationship) -> the parent's owner, maintained by the
-- after-change trigger of the model tables (sql/140) and rebuilt when the
-- relationships change, so that the read policies need no new arm: the rows
-- join the `records` access set (sql/040 _scope_records, and _has_right for one
-- record), which already asks for the reader's own read privilege on the
-- child's table at user depth or wider. Writing a row is a change of security
-- data: it bumps the security epoch (sql/890), so cached access sets stay
-- exact, and re-derives the access classes of the owners it names.
create table rowscope.parent_owner_read (
  table_name text not null,      -- the child's table
  record_id uuid not null,       -- the child
  column_name text not null,     -- the relationship's lookup column
  parent_table text not null,
  parent_id uuid not null,
  principal_id uuid not null,    -- the parent's owner now
  primary key (table_name, record_id, column_name)
);
-- the records arm: (table, owner) -> children, an index lookup
create index parent_owner_read_principal on rowscope.parent_owner_read (table_name, principal_id, record_id);
-- the parent's owner changes: its children's rows
create index parent_owner_read_parent on rowscope.parent_owner_read (parent_table, parent_id);

-- The relationships of a child table that give the parent's owner read: reparent
-- cascade other than none, both tables user-owned (an organization-owned record
-- has no owner; on an organization-owned child only organization depth reads).
create function rowscope._reparent_relationships(p_child text)
returns table (column_name text, parent_table text, parent_schema text, child_schema text)
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select r.column_name, r.references_table, p.data_schema, c.data_schema
  from rowscope.relationship r
  join rowscope.secured_table c on c.name = r.table_name and c.ownership = 'user'
  join rowscope.secured_table p on p.name = r.references_table and p.ownership = 'user'
  where r.table_name = p_child and r.cascade_reparent <> 'none'
  order by r.column_name
$$;

-- After a record of a user-owned model table is inserted (p_old null) or
-- updated: its own rows follow its lookups; its children's rows follow its
-- owner. Nothing is written when nothing changed (each write bumps the epoch).
create function rowscope._sync_parent_owner_reads(p_table text, p_record uuid, p_old jsonb, p_new jsonb) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  rel record;
  v_old uuid;
  v_new uuid;
  v_owner uuid;
begin
  for rel in select * from rowscope._reparent_relationships(p_table) loop
    v_old := (p_old ->> rel.column_name)::uuid;
    v_new := (p_new ->> rel.column_name)::uuid;
    continue when p_old is not null and v_old is not distinct from v_new;
    if v_old is not null then
      delete from rowscope.parent_owner_read
       where table_name = p_table and record_id = p_record and column_name = rel.column_name;
    end if;
    if v_new is not null then
      select f.owner_id into v_owner from rowscope._record_facts(rel.parent_table, v_new) f;
      if v_owner is not null then
        insert into rowscope.parent_owner_read (table_name, record_id, column_name, parent_table, parent_id, principal_id)
        values (p_table, p_record, rel.column_name, rel.parent_table, v_new, v_owner);
        perform rowscope._refresh_parent_owner(v_owner, p_table);
      end if;
    end if;
  end loop;
  v_new := (p_new ->> 'owner_id')::uuid;
  if p_old is not null and (p_old ->> 'owner_id')::uuid is distinct from v_new
     and exists (select from rowscope.parent_owner_read o where o.parent_table = p_table and o.parent_id = p_record) then
    update rowscope.parent_owner_read o set principal_id = v_new
     where o.parent_table = p_table and o.parent_id = p_record;
    for rel in select distinct o.table_name from rowscope.parent_owner_read o
                where o.parent_table = p_table and o.parent_id = p_record loop
      perform rowscope._refresh_parent_owner(v_new, rel.table_name);
    end loop;
  end if;
end
$$;

-- Before a record goes (sql/140 _cascade_delete, after its children were dealt
-- with): its rows as a child and as a parent.
create function rowscope._drop_parent_owner_reads(p_table text, p_record uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  if exists (select from rowscope.parent_owner_read o where o.table_name = p_table and o.record_id = p_record)
     or exists (select from rowscope.parent_owner_read o where o.parent_table = p_table and o.parent_id = p_record) then
    delete from rowscope.parent_owner_read o
     where (o.table_name = p_table and o.record_id = p_record) or (o.parent_table = p_table and o.parent_id = p_record);
  end if;
end
$$;

-- All rows of a child table, from the data: when its relationships change (the
-- model migration), also for data that existed before this rule (an upgrade).
create function rowscope._rebuild_parent_owner_reads(p_child text) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  rel record;
begin
  if exists (select from rowscope.parent_owner_read where table_name = p_child) then
    delete from rowscope.parent_owner_read where table_name = p_child;
  end if;
  for rel in select * from rowscope._reparent_relationships(p_child) loop
    continue when to_regclass(format('%I.%I', rel.child_schema, p_child)) is null
               or to_regclass(format('%I.%I', rel.parent_schema, rel.parent_table)) is null;
    execute format('insert into rowscope.parent_owner_read (table_name, record_id, column_name, parent_table, parent_id, principal_id)
                    select %L, c.id, %L, %L, p.id, p.owner_id
                    from %I.%I c join %I.%I p on p.id = c.%I
                    where p.owner_id is not null',
                   p_child, rel.column_name, rel.parent_table,
                   rel.child_schema, p_child, rel.parent_schema, rel.parent_table, rel.column_name);
  end loop;
end
$$;

-- One function for the three triggers: the tables a statement's relationship
-- rows name, old (delete) or new (insert, update), are rebuilt.
create function rowscope._tg_relationship_rebuild() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_table text;
begin
  if tg_op = 'DELETE' then
    for v_table in select distinct table_name from old_rows loop
      perform rowscope._rebuild_parent_owner_reads(v_table);
    end loop;
  else
    for v_table in select distinct table_name from new_rows loop
      perform rowscope._rebuild_parent_owner_reads(v_table);
    end loop;
  end if;
  return null;
end
$$;
create trigger relationship_rebuild_insert after insert on rowscope.relationship
  referencing new table as new_rows for each statement execute function rowscope._tg_relationship_rebuild();
create trigger relationship_rebuild_update after update on rowscope.relationship
  referencing new table as new_rows for each statement execute function rowscope._tg_relationship_rebuild();
create trigger relationship_rebuild_delete after delete on rowscope.relationship
  referencing old table as old_rows for each statement execute function rowscope._tg_relationship_rebuild();

-- An owner that gains a read may need the access class with the records arm
-- (sql/050): a user (or a member of the owning team) in a class without it is
-- re-derived. Losing one needs nothing: a records arm that matches less is
-- still exact. A model migration refreshes everyone at its end.
create function rowscope._refresh_parent_owner(p_principal uuid, p_table text) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_classes jsonb := (select class_roles from rowscope.secured_table where name = p_table);
  u record;
begin
  if v_classes is null or coalesce(current_setting('rowscope.defer_refresh', true), '') = 'on' then
    return;
  end if;
  for u in
    select s.id, s.db_role from rowscope.system_user s
    where s.id = p_principal
       or s.id in (select m.user_id from rowscope.team_member m where m.team_id = p_principal)
  loop
    if rowscope._is_member(u.db_role, v_classes ->> 'user') or rowscope._is_member(u.db_role, v_classes ->> 'bu') then
      perform rowscope._refresh_user_classes(u.id);
    end if;
  end loop;
end
$$;
