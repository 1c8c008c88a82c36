-- Public API of sharing, assign and access teams (sql/1xx).
grant execute on function
  rowscope.grant_access(text, uuid, uuid, text[]),
  rowscope.modify_access(text, uuid, uuid, text[]),
  rowscope.revoke_access(text, uuid, uuid),
  rowscope.assign(text, uuid, uuid),
  rowscope.add_access_team_member(text, uuid, text, uuid),
  rowscope.remove_access_team_member(text, uuid, text, uuid),
  -- granted while assign was security invoker and called these as the caller
  -- (sql/120 is a definer now); each answers for the caller only
  rowscope._model_table(text),
  rowscope._readable_record(text, uuid),
  rowscope._bad_argument(text)
to rowscope_user;

-- Positions (sql/035_hierarchy.sql).
grant execute on function
  rowscope.create_position(text, uuid),
  rowscope.set_position(uuid, uuid)
to rowscope_user;
