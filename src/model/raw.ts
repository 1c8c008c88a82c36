// Lenient reads of the unparsed model for the cross-field rules. They run even
// when the schema found problems (so one run reports everything); whatever is
// malformed reads as empty here, because the schema already reported it.

export type Raw = Record<string, unknown>;

export function mapping(value: unknown): Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : {};
}

export function entries(value: unknown): [string, unknown][] {
  return Object.entries(mapping(value));
}

export function items(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Ownership as the schema will default it: anything but 'organization' is user-owned. */
export function isOrganizationOwned(table: unknown): boolean {
  return mapping(table).ownership === 'organization';
}
