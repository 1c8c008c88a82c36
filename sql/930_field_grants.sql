-- The field-security API (docs/reference.md) for rowscope users. field_read_mode is what
-- the api views call (as the user) to decide, once per statement, whether a
-- secured column is masked everywhere. Functions created after
-- 900_ownership_and_grants.sql would escape its ownership loop; ours load
-- before it (3xx), so this file only grants.
grant execute on function
  rowscope.add_profile_member(text, uuid),
  rowscope.remove_profile_member(text, uuid),
  rowscope.share_field(text, uuid, text, uuid, boolean, boolean),
  rowscope.field_read_mode(text, text)
to rowscope_user;
