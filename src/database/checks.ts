/**
 * CHECK expressions built from an entity's own list of values, so the @Check on the entity and the
 * list the code uses cannot drift apart unseen (the schema tests compare them with the database).
 */

const quoted = (values: readonly string[]) => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');

/** The column holds one of the listed values (NULL allowed when `nullable`). */
export function oneOf(column: string, values: readonly string[], options: { nullable?: boolean } = {}): string {
  const check = `"${column}" IN (${quoted(values)})`;
  return options.nullable ? `"${column}" IS NULL OR ${check}` : check;
}

/** A text[] column holds only listed values (any number of them, none included). */
export function subsetOf(column: string, values: readonly string[]): string {
  return `"${column}" <@ ARRAY[${quoted(values)}]::text[]`;
}
