-- The bulk forms of the admin functions (sql/150..153): a rowscope user's call
-- goes through the single functions item by item, with their checks.
grant execute on function
  rowscope.create_users(jsonb),
  rowscope._create_users(jsonb),
  rowscope.set_managers(jsonb),
  rowscope.assign_roles(jsonb),
  rowscope.add_team_members(jsonb),
  rowscope.grant_access_bulk(text, jsonb)
to rowscope_user;
