-- The bulk forms of the admin functions (sql/150..153): a rowscope user's call
-- goes through the single functions item by item, with their checks.
grant execute on function
  rowscope.create_users(jsonb, boolean),
  rowscope._bulk_create_users(jsonb, boolean),
  -- security invoker: create_users and create_user_logins call it as the caller
  rowscope._admin_on_existing_roles(text[]),
  rowscope.create_user_logins(uuid[]),
  rowscope._create_user_logins(uuid[]),
  rowscope.set_managers(jsonb),
  rowscope.assign_roles(jsonb),
  rowscope.add_team_members(jsonb),
  rowscope.grant_access_bulk(text, jsonb)
to rowscope_user;
