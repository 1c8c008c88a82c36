-- Public API of check_access / explain_access (sql/4xx, owned by the definer
-- through the ownership pass of 900).
grant execute on function
  rowscope.check_access(text, uuid, uuid),
  rowscope.explain_access(text, uuid, uuid),
  rowscope.explain_fix(text, uuid, text, uuid)
to rowscope_user;
