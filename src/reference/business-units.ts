// The business-unit tree (docs/security-model.md: a tree with one root), as the parent_child
// depth needs it: is one BU the other or below it.
import type { BusinessUnit } from './organization.ts';

export class BusinessUnitTree {
  private readonly parent = new Map<string, string | null>();

  constructor(units: readonly BusinessUnit[]) {
    for (const bu of units) this.parent.set(bu.id, bu.parentId);
    const roots = units.filter((bu) => bu.parentId === null);
    if (units.length > 0 && roots.length !== 1) throw new Error(`a business-unit tree has one root, found ${roots.length}`);
    for (const bu of units) this.ancestors(bu.id); // throws on cycles and unknown parents
  }

  has(id: string): boolean {
    return this.parent.has(id);
  }

  /** id, its parent, ... up to the root. */
  ancestors(id: string): string[] {
    const chain: string[] = [];
    for (let at: string | null | undefined = id; at != null; at = this.parent.get(at)) {
      if (!this.parent.has(at)) throw new Error(`no business unit ${at}`);
      if (chain.includes(at)) throw new Error(`business unit ${at} is its own ancestor`);
      chain.push(at);
    }
    return chain;
  }

  /** Whether `bu` is `top` or a descendant of it. */
  isWithin(bu: string, top: string): boolean {
    return this.has(bu) && this.ancestors(bu).includes(top);
  }
}
