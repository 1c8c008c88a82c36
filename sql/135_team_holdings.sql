-- What joining a team gives, and so what adding a member to it needs (no
-- indirect escalation, issue 14). A member gets every field security profile
-- of the team, every share the team holds (direct or cascaded: rowscope._has_right
-- and rowscope._scope_records reach shares through every team of the user) and
-- every field share (rowscope._field_share_allows). So adding a member needs
-- what giving each of those to the member directly needs:
-- - a profile: what add_profile_member needs (sql/320 _require_profile_grant);
-- - a share: what grant_access needs (sql/110 _set_direct_share): read on the
--   record (grant_access reports an unreadable record as absent), share on it,
--   and every right of the share;
-- - a field share: what share_field needs (sql/320): read and share on the
--   record, and the caller's own read of the column on it (and update, when
--   the field share gives update).
-- A team may hold thousands of shares: the record checks run as one query per
-- table the team holds shares in, not one call per share; the grant summary
-- (sql/040) of each right is computed once and settles most records, and
-- rowscope._has_right decides the rest with the summaries from the session
-- cache (sql/045).

create function rowscope._require_team_holdings_grantable(p_team uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := rowscope._current_user_id();
  v_team_label text;
  p record;
  v_table text;
  st rowscope.secured_table;
  v_owner_col text;
  v_bu_col text;
  v_miss record;
begin
  -- (p is a record: the profile table comes later, sql/300)
  for p in select fp.id from rowscope.field_profile_member m join rowscope.field_security_profile fp on fp.id = m.profile_id
            where m.principal_id = p_team order by fp.name loop
    perform rowscope._require_profile_grant((select fp from rowscope.field_security_profile fp where fp.id = p.id));
  end loop;
  if rowscope._is_deployment_admin()
     or (not exists (select from rowscope.record_share s where s.principal_id = p_team)
         and not exists (select from rowscope.field_share f where f.principal_id = p_team)) then
    return;
  end if;
  if v_me is null then
    perform rowscope._refuse(null, 'share', 'team', p_team::text, format('role %s is no rowscope user', rowscope._identity()));
  end if;
  v_team_label := rowscope._principal_label(p_team);
  -- a written cache makes each (table, right) summary one computation, not one per record
  perform rowscope._access_cache_ready(true);
  for v_table in
    select s.table_name from rowscope.record_share s where s.principal_id = p_team
    union
    select f.table_name from rowscope.field_share f where f.principal_id = p_team
    order by 1
  loop
    st := rowscope._model_table(v_table);
    v_owner_col := case when st.ownership = 'user' then 'd.owner_id' else 'null::uuid' end;
    v_bu_col := case when st.ownership = 'user' then 'd.owning_business_unit' else 'null::uuid' end;
    -- the first record and right (read, then share, then the share's rights in
    -- their usual order) the caller lacks; a share of a record that no longer
    -- exists gives nothing and needs nothing
    execute format($q$
      with wanted as (
        select distinct s.record_id, r.right_name
        from rowscope.record_share s
        cross join lateral unnest(array['read', 'share'] || s.rights) r(right_name)
        where s.principal_id = $1 and s.table_name = $2
        union
        select distinct f.record_id, r.right_name
        from rowscope.field_share f
        cross join lateral unnest(array['read', 'share']) r(right_name)
        where f.principal_id = $1 and f.table_name = $2
      ), summary as materialized (
        select r.right_name, g.depth, g.owners, g.bus, g.deep_bus
        from (select distinct w.right_name from wanted w) r
        cross join lateral rowscope._grant_summary_cached($3, $2, r.right_name) g
      ), facts as materialized (
        -- the first branches of rowscope._has_right (organization depth, an
        -- owner or BU in scope) from the summary, once per right
        select w.record_id, w.right_name, %s as owner_id_, %s as owning_bu_,
               g.depth = 4 or (g.depth > 0 and (%1$s = any (g.owners) or %2$s = any (g.bus))) as in_scope
        from wanted w join summary g on g.right_name = w.right_name
        join %I.%I d on d.id = w.record_id
      )
      select x.record_id, x.right_name, x.owner_id_ as owner_id, x.owning_bu_ as owning_bu
      from facts x
      -- the rest (deeper BUs, shares, the hierarchy) through rowscope._has_right itself
      where case when x.in_scope then false
                 else not rowscope._has_right($3, $2, x.right_name, x.record_id, x.owner_id_, x.owning_bu_) end
      order by x.record_id,
               array_position(array['read', 'share', 'write', 'delete', 'append', 'append_to', 'assign'], x.right_name)
      limit 1$q$,
      v_owner_col, v_bu_col, st.data_schema, st.name)
      into v_miss using p_team, v_table, v_me;
    if v_miss.record_id is not null then
      perform rowscope._refuse(v_me, v_miss.right_name, v_table, v_miss.record_id::text,
        format('%s holds %s on it through a share, which a new member gets; one gives only rights one holds; %s',
               v_team_label, v_miss.right_name,
               -- who owns a record the caller cannot read stays unsaid
               rowscope._missing_reason(v_me, v_table, v_miss.right_name,
                                        case when v_miss.right_name = 'read' then null else v_miss.owner_id end,
                                        case when v_miss.right_name = 'read' then null else v_miss.owning_bu end)));
    end if;
    -- the columns: the caller's own read (and update) of each shared column on its record
    select f.record_id, f.column_name,
           case when not rowscope._field_allows(v_me, v_table, f.column_name, f.record_id, 'read') then 'read' else 'update' end as perm
      into v_miss
      from rowscope.field_share f
     where f.principal_id = p_team and f.table_name = v_table
       and (not rowscope._field_allows(v_me, v_table, f.column_name, f.record_id, 'read')
            or (f.can_update and not rowscope._field_allows(v_me, v_table, f.column_name, f.record_id, 'update')))
     order by f.record_id, f.column_name
     limit 1;
    if found then
      perform rowscope._refuse(v_me, format('%s of column %s', v_miss.perm, v_miss.column_name), v_table,
        format('%s (column %s)', v_miss.record_id, v_miss.column_name),
        format('%s has a field share of %s.%s on it, which a new member gets; the user cannot %s it themselves',
               v_team_label, v_table, v_miss.column_name, v_miss.perm));
    end if;
  end loop;
end
$$;
