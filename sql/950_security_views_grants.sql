-- The functions the security data views (sql/5xx) call: function calls in a
-- view are checked against the querying user, not the view owner. None takes a
-- user argument; each answers for the acting user only. (Their ownership and
-- PUBLIC revoke come from 900_ownership_and_grants.sql.)
grant execute on function
  rowscope._sv_me(),
  rowscope._sv_my_principals(),
  rowscope._sv_all(text),
  rowscope._sv_any(text),
  rowscope._sv_my_roles(),
  rowscope._sv_share_org_tables(),
  rowscope._sv_shareable(text),
  rowscope._is_deployment_admin(),
  rowscope._depth_name(smallint)
to rowscope_user;
